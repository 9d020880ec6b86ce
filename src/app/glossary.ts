import { CostbridgeError } from '../domain/costbridge-error.js';
import { parseGlossaryName, suggestGlossaryTerms, type GlossaryTerm } from '../domain/glossary.js';
import type { Store } from '../store/database.js';
import type { Surface } from '../store/audit-log.js';
import { findGlossaryTerm, listGlossaryTerms, saveGlossaryTerm, type GlossarySave } from '../store/glossary.js';

/** A glossary lookup: the term found, or why not with close matches. */
export type GlossaryLookup =
  | { readonly ok: true; readonly term: GlossaryTerm }
  | { readonly ok: false; readonly code: 'NOT_FOUND'; readonly message: string; readonly suggestions: readonly string[] };

/** Looks a term up by name or alias, case-insensitively; an unknown term comes back with close matches. */
export async function lookupGlossaryTerm(store: Store, request: { term: string }): Promise<GlossaryLookup> {
  const name = parseGlossaryName(request.term, 'the term');
  const term = await findGlossaryTerm(store.db, name);
  if (term) return { ok: true, term };
  const suggestions = suggestGlossaryTerms(name, await listGlossaryTerms(store.db));
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?` : '; list every term with: costbridge glossary';
  return { ok: false, code: 'NOT_FOUND', message: `"${name}" is not in the glossary${hint}`, suggestions };
}

/** Every term, alphabetically. */
export async function listGlossary(store: Store): Promise<GlossaryTerm[]> {
  return listGlossaryTerms(store.db);
}

/** A term to add (or whose definition to change), with aliases to add, on whose behalf. */
export interface AddGlossaryTermRequest {
  readonly term: string;
  readonly definition: string;
  readonly aliases: readonly string[];
  readonly actor: string;
  readonly surface: Surface;
}

/** Adds a glossary term or changes its definition and adds aliases, audited in the same transaction. */
export async function addGlossaryTerm(store: Store, request: AddGlossaryTermRequest): Promise<GlossarySave> {
  const term = parseGlossaryName(request.term, 'the term');
  const definition = request.definition.trim();
  if (definition === '') throw new CostbridgeError('INPUT_INVALID', '--definition is empty');
  if (definition.length > 4000) throw new CostbridgeError('INPUT_INVALID', '--definition is longer than 4000 characters');
  const aliases = request.aliases.map((a) => parseGlossaryName(a, '--aliases entry'));
  return saveGlossaryTerm(store.db, { term, definition, aliases }, { actor: request.actor, surface: request.surface });
}
