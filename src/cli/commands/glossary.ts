import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { addGlossaryTerm, listGlossary, lookupGlossaryTerm } from '../../app/glossary.js';
import { CostbridgeError } from '../../domain/costbridge-error.js';
import { parseGlossaryAliases, type GlossaryTerm } from '../../domain/glossary.js';

/** `costbridge glossary [TERM]` and `glossary add`: the vocabulary FinOps and ITFM share. */
export function registerGlossary(program: Command, ctx: CliContext): void {
  const glossary = program
    .command('glossary')
    .description('the shared FinOps/ITFM vocabulary: look a term up (case-insensitive, aliases too), or list every term')
    .argument('[term]', 'term or alias, e.g. "amortized cost", EffectiveCost, "cost avoidance"')
    .option('--json', 'print JSON on stdout')
    .action(async (term: string | undefined, opts: { json?: boolean }) => {
      const store = await ctx.store();
      if (term === undefined) {
        const terms = await listGlossary(store);
        ctx.io.out(opts.json ? JSON.stringify({ terms }) : terms.map(termText).join('\n\n'));
        return;
      }
      const found = await lookupGlossaryTerm(store, { term });
      if (!found.ok) {
        if (opts.json) ctx.io.out(JSON.stringify({ term: null, query: term, suggestions: found.suggestions }));
        throw new CostbridgeError('NOT_FOUND', found.message);
      }
      ctx.io.out(opts.json ? JSON.stringify({ term: found.term }) : termText(found.term));
    });
  glossary
    .command('add')
    .description('add a term, or change its definition and add aliases (existing aliases are kept); audited')
    .argument('<term>', 'the term, e.g. "unit cost"')
    .requiredOption('--definition <text>', 'what the term means, in words both FinOps and finance accept')
    .option('--aliases <names>', 'comma-separated other names for it')
    .option('--as <user>', 'who the change is recorded as')
    .option('--json', 'print JSON on stdout')
    .action(async (term: string, opts: { definition: string; aliases?: string; as?: string; json?: boolean }) => {
      const saved = await addGlossaryTerm(await ctx.store(), {
        term,
        definition: opts.definition,
        aliases: parseGlossaryAliases(opts.aliases),
        actor: await ctx.actor(opts.as),
        surface: 'cli',
      });
      // The parent's own --json takes the flag when it is given after `add`, so ask both.
      if (opts.json || glossary.opts<{ json?: boolean }>().json) ctx.io.out(JSON.stringify({ outcome: saved.outcome, term: saved.after }));
      else ctx.io.out(`${saved.outcome}: ${termText(saved.after)}`);
    });
}

function termText(t: GlossaryTerm): string {
  return `${t.term}${t.aliases.length > 0 ? ` (also: ${t.aliases.join(', ')})` : ''}\n  ${t.definition}`;
}
