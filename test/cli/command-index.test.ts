import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { commands } from '../../src/cli/commands/index.js';
import type { CliContext } from '../../src/cli/cli-context.js';

describe('the command index', () => {
  it('lists exactly the top-level commands each module registers (a run loads only the module of its command)', async () => {
    const ctx = {} as CliContext;
    for (const module of commands) {
      const program = new Command('costbridge');
      (await module.load())(program, ctx);
      expect(program.commands.map((c) => c.name())).toEqual(module.names);
    }
    const all = commands.flatMap((m) => m.names);
    expect(new Set(all).size).toBe(all.length);
  });
});
