import type { Command } from 'commander';
import { booksNote } from '../books-note.js';
import type { CliContext } from '../cli-context.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { normalizeTagKey, parseSharedField, sharedFieldFlag, sharedFields } from '../../domain/shared-fields.js';
import { listTagAliases, saveTagAlias } from '../../store/tag-aliases.js';
import { textTable } from '../text-table.js';

/** `costbridge aliases add|list`: which tag keys mean which shared field. */
export function registerAliases(program: Command, ctx: CliContext): void {
  const aliases = program.command('aliases').description('tag keys that mean one of the six shared fields');
  aliases
    .command('add')
    .description('map a tag key (trimmed, case-insensitive) to a shared field and re-resolve stored lines that carry it')
    .argument('<key>', 'tag key as it appears in Tags, e.g. "Cost department"')
    .argument('<field>', `one of ${sharedFields.map(sharedFieldFlag).join(', ')}`)
    .option('--priority <n>', 'when a line has several keys for one field, the lowest number wins', '50')
    .option('--as <user>', 'who the change is recorded as')
    .action(async (key: string, fieldText: string, opts: { priority: string; as?: string }) => {
      const tagKey = normalizeTagKey(key);
      if (tagKey === '') throw new CostbridgeError('INPUT_INVALID', 'the tag key is empty');
      const field = parseSharedField(fieldText);
      if (!field) {
        throw new CostbridgeError(
          'INPUT_INVALID',
          `unknown field ${JSON.stringify(fieldText)}; use one of ${sharedFields.map(sharedFieldFlag).join(', ')}`,
        );
      }
      if (!/^\d{1,6}$/.test(opts.priority)) throw new CostbridgeError('INPUT_INVALID', `--priority must be a whole number, got ${opts.priority}`);
      const store = await ctx.store();
      const { before, linesUpdated, books } = await saveTagAlias(
        store.db,
        { tagKey, field, priority: Number(opts.priority) },
        { actor: await ctx.actor(opts.as), surface: 'cli' },
      );
      const was = before ? ` (was ${sharedFieldFlag(before.field)}, priority ${before.priority})` : '';
      ctx.io.out(`tag key "${tagKey}" now means ${sharedFieldFlag(field)}${was}; ${linesUpdated} stored line(s) re-resolved${booksNote(books, false)}`);
    });
  aliases
    .command('list')
    .description('list every alias')
    .option('--json', 'print JSON on stdout')
    .action(async (opts: { json?: boolean }) => {
      const list = await listTagAliases((await ctx.store()).db);
      if (opts.json) {
        ctx.io.out(JSON.stringify({ aliases: list.map((a) => ({ key: a.tagKey, field: sharedFieldFlag(a.field), priority: a.priority })) }));
        return;
      }
      ctx.io.out(textTable(['tag key', 'field', 'priority'], list.map((a) => [a.tagKey, sharedFieldFlag(a.field), String(a.priority)]), [2]));
    });
}
