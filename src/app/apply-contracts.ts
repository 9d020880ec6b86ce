import { readFile } from 'node:fs/promises';
import { CostbridgeError } from '../domain/costbridge-error.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { parseContractFile, type ContractDefinition } from '../domain/contract-document.js';
import { recordAudit, type Surface } from '../store/audit-log.js';
import { unknownCostCenters } from '../store/attribution-rules.js';
import { contractExists, upsertContract } from '../store/contracts.js';
import type { Store } from '../store/database.js';
import { contractScope, lockAttribution, reattribute } from '../store/reattribution.js';

/** What applying one contract did. */
export interface AppliedContract {
  readonly id: string;
  readonly change: 'added' | 'changed' | 'unchanged';
  readonly linesChanged: number;
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
    for (const c of parsed.contracts) {
      if (request.onlyNew && (await contractExists(trx, c.id))) throw new CostbridgeError('CONFLICT', `contract ${c.id} exists already`);
      const before = await upsertContract(trx, c, { sourceFile: origin, appliedBy: request.actor });
      const change = !before ? 'added' : sameDefinition(before, c) ? 'unchanged' : 'changed';
      const linesChanged = await reattribute(trx, contractScope(c.id));
      await recordAudit(trx, {
        actor: request.actor,
        surface: request.surface,
        action: before ? 'contract.change' : 'contract.add',
        subjectType: 'contract',
        subjectId: c.id,
        before,
        after: { ...c, file: origin, linesChanged },
      });
      applied.push({ id: c.id, change, linesChanged });
    }
    return { file: origin, contracts: applied };
  });
}

function sameDefinition(a: ContractDefinition, b: ContractDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
