import { readFile } from 'node:fs/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { parseContractFile, type ContractDefinition } from '../domain/contract-document.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { unknownCostCenters } from '../store/attribution-rules.js';
import { contractExists, upsertContract } from '../store/contracts.js';
import type { Store } from '../store/database.js';
import { contractScope, lockAttribution, reattribute } from '../store/reattribution.js';
import { addMonths, booksReach, type BooksReach } from '../domain/period-close.js';
import { closedMonths } from '../store/period-closes.js';

/** What applying one contract did. */
export interface AppliedContract {
  readonly id: string;
  readonly change: 'added' | 'changed' | 'unchanged';
  readonly linesChanged: number;
  /** From which month it reaches the books, and the closed months it re-attributes (post-close adjustments). */
  readonly books: BooksReach;
}

/** The months a contract's terms (now and before a change) cover: from its earliest start to its latest end. */
function contractReach(now: ContractDefinition, before: ContractDefinition | undefined, closed: Parameters<typeof booksReach>[2]): BooksReach {
  const terms = before ? [now, before] : [now];
  const start = terms.map((t) => t.startDate.slice(0, 7)).sort()[0]!;
  const ends = terms.map((t) => t.endDate);
  const until = ends.some((e) => e === null) ? null : addMonths(ends.map((e) => e!.slice(0, 7)).sort().at(-1)!, 1);
  return booksReach(start, until, closed);
}

/**
 * Validates a contract file (YAML or JSON) and upserts its contracts by id, re-attributing the
 * lines each covers (or covered), with an audit row per contract, all in one transaction.
 */
export async function applyContracts(
  store: Store,
  request: { path: string; actor: string; surface: Surface },
): Promise<{ file: string; contracts: AppliedContract[] }> {
  let source: string;
  try {
    source = await readFile(request.path, 'utf8');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new CostbridgeError('FILE_NOT_FOUND', `${request.path}: no such file`);
    throw e;
  }
  return applyContractText(store, { text: source, origin: request.path, actor: request.actor, surface: request.surface });
}

/**
 * The same for a contract document held in memory (a classification made in chat); `origin` names
 * where it came from in errors and the audit trail, as the file path does for a file.
 */
export async function applyContractText(
  store: Store,
  request: { text: string; origin: string; actor: string; surface: Surface; /** Refuse (CONFLICT) when a contract with the same id exists: a decision made once. */ onlyNew?: boolean },
): Promise<{ file: string; contracts: AppliedContract[] }> {
  const source = request.text;
  const origin = request.origin;
  const parsed = parseContractFile(source);
  if (!parsed.ok) {
    throw new CostbridgeError(
      'INPUT_INVALID',
      `${origin}: nothing applied, ${parsed.errors.length} error(s)`,
      parsed.errors.map((e) => `${origin}:${e.line}:${e.column}: ${e.path}: ${e.reason}`),
    );
  }
  return store.db.transaction().execute(async (trx) => {
    await lockAttribution(trx);
    const codes = parsed.contracts.flatMap((c) => [c.attribution.cost_center, ...c.components.map((p) => p.attribution.cost_center)]);
    const unknown = await unknownCostCenters(trx, codes.filter((c): c is string => c !== undefined));
    if (unknown.length > 0) {
      throw new CostbridgeError(
        'INPUT_INVALID',
        `${origin}: nothing applied, unknown cost center(s) ${unknown.join(', ')}: not in the cost-center master data`,
      );
    }
    const applied: AppliedContract[] = [];
    const closed = await closedMonths(trx);
    for (const c of parsed.contracts) {
      if (request.onlyNew && (await contractExists(trx, c.id))) throw new CostbridgeError('CONFLICT', `contract ${c.id} exists already`);
      const before = await upsertContract(trx, c, { sourceFile: origin, appliedBy: request.actor });
      const change = !before ? 'added' : sameDefinition(before, c) ? 'unchanged' : 'changed';
      const linesChanged = await reattribute(trx, contractScope(c.id));
      const books = contractReach(c, before, closed);
      await recordAudit(trx, {
        actor: request.actor,
        surface: request.surface,
        action: before ? 'contract.change' : 'contract.add',
        subjectType: 'contract',
        subjectId: c.id,
        before,
        after: { ...c, file: origin, linesChanged, effectiveFrom: books.from, closedMonths: books.closedMonths },
      });
      applied.push({ id: c.id, change, linesChanged, books });
    }
    return { file: origin, contracts: applied };
  });
}

function sameDefinition(a: ContractDefinition, b: ContractDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
