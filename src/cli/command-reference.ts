import type { Command } from 'commander';

/** Every leaf command with its arguments and flags, one per line, for the top-level `--help`. */
export function commandReference(program: Command): string {
  const lines: string[] = [];
  const visit = (cmd: Command, path: string[]) => {
    const subs = cmd.commands.filter((c) => c.name() !== 'help');
    // A group with arguments or flags of its own (`glossary [term]`) is also a command by itself.
    if (subs.length === 0 || cmd.registeredArguments.length > 0 || cmd.options.length > 0) line(cmd, path);
    for (const sub of subs) visit(sub, [...path, sub.name()]);
  };
  const line = (cmd: Command, path: string[]) => {
    const args = cmd.registeredArguments.map((a) => {
      const name = `${a.name()}${a.variadic ? '...' : ''}`;
      return a.required ? `<${name}>` : `[${name}]`;
    });
    const flags = cmd.options.map((o) => (o.mandatory ? o.flags : `[${o.flags}]`));
    lines.push(`  ${[...path, ...args, ...flags].join(' ')}`);
    lines.push(`      ${cmd.description()}`);
  };
  for (const cmd of program.commands) visit(cmd, ['costbridge', cmd.name()]);
  return `\nEvery command and its flags (each also has --help):\n${lines.join('\n')}\n`;
}
