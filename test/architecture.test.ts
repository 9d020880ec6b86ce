import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The dependency rules of ../shared/architecture.md, checked on the source tree itself.
const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

interface Import {
  readonly file: string;
  readonly spec: string;
  /** The imported file relative to src/, for project imports. */
  readonly target?: string;
}

const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

const imports: Import[] = files(src).flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(importPattern)].map((m) => {
    const spec = (m[1] ?? m[2])!;
    const rel = relative(src, file);
    return spec.startsWith('.')
      ? { file: rel, spec, target: relative(src, resolve(dirname(file), spec)) }
      : { file: rel, spec };
  });
});

const inside = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const violations = (bad: (i: Import) => boolean) => imports.filter(bad).map((i) => `${i.file} imports ${i.spec}`);

describe('architecture boundaries', () => {
  it('keeps domain/ pure: only domain/ and pure libraries', () => {
    const pureLibraries = ['decimal.js', 'zod', 'yaml', 'cron-parser'];
    expect(
      violations(
        (i) => inside(i.file, 'domain') && (i.target ? !inside(i.target, 'domain') : !pureLibraries.includes(i.spec)),
      ),
    ).toEqual([]);
  });

  it('lets only store/ import the database libraries', () => {
    const db = ['kysely', 'pg', 'pg-copy-streams', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'kysely-pglite-dialect'];
    expect(violations((i) => !inside(i.file, 'store') && db.some((d) => i.spec === d || i.spec.startsWith(`${d}/`)))).toEqual([]);
  });

  it('lets only chat/slack import @slack and only chat/teams import botbuilder (and its connector and MSAL)', () => {
    expect(violations((i) => i.spec.startsWith('@slack/') && !inside(i.file, 'chat/slack'))).toEqual([]);
    const bot = (spec: string) => spec.startsWith('botbuilder') || spec.startsWith('botframework-') || spec.startsWith('@azure/msal');
    expect(violations((i) => bot(i.spec) && !inside(i.file, 'chat/teams'))).toEqual([]);
  });

  it('keeps messages/ platform-neutral and free of I/O', () => {
    expect(
      violations(
        (i) => inside(i.file, 'messages') && !!i.target && !inside(i.target, 'messages') && !inside(i.target, 'domain'),
      ),
    ).toEqual([]);
    expect(violations((i) => inside(i.file, 'messages') && !i.target && i.spec.startsWith('node:'))).toEqual([]);
  });

  it('runs one way: main/ wires the chat adapters, which call the server handlers, which never call back', () => {
    // Only the composition root (main/) builds Bolt, botbuilder and their transports.
    expect(violations((i) => !!i.target && inside(i.target, 'chat') && !inside(i.file, 'chat') && !inside(i.file, 'main'))).toEqual([]);
    // server/ holds platform-neutral handlers: no adapter, no composition root.
    expect(violations((i) => inside(i.file, 'server') && !!i.target && (inside(i.target, 'chat') || inside(i.target, 'main')))).toEqual([]);
    // Nothing but the CLI starts the composition root.
    expect(violations((i) => !!i.target && inside(i.target, 'main') && !inside(i.file, 'main') && !inside(i.file, 'cli'))).toEqual([]);
    // The two adapters know nothing of each other (either can be replaced in its own folder).
    expect(violations((i) => inside(i.file, 'chat/slack') && !!i.target && inside(i.target, 'chat/teams'))).toEqual([]);
    expect(violations((i) => inside(i.file, 'chat/teams') && !!i.target && inside(i.target, 'chat/slack'))).toEqual([]);
    // Use cases, views, the store and the domain sit below every adapter and handler.
    const below = ['app', 'messages', 'store', 'domain', 'scheduler', 'charts'];
    expect(
      violations((i) => below.some((b) => inside(i.file, b)) && !!i.target && ['chat', 'server', 'main'].some((up) => inside(i.target!, up))),
    ).toEqual([]);
  });

  it('catches a wrong-way import (the rule above is not vacuous)', () => {
    const probe = { file: 'server/commands/x.ts', spec: '../../chat/slack/render.js', target: 'chat/slack/render.ts' };
    const bad = (i: Import) => inside(i.file, 'server') && !!i.target && inside(i.target, 'chat');
    expect(bad(probe)).toBe(true);
    expect(imports.some((i) => inside(i.file, 'main') && !!i.target && inside(i.target, 'chat'))).toBe(true);
    expect(imports.some((i) => inside(i.file, 'chat') && !!i.target && inside(i.target, 'server'))).toBe(true);
  });

  it('reads the environment only in config.ts', () => {
    const readers = files(src)
      .filter((f) => /process\.env/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(src, f));
    expect(readers).toEqual(['config.ts']);
  });
});
