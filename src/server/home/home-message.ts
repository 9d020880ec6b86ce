import { listOpenDecisions } from '../../app/list-open-decisions.js';
import { describeGrant, type Person } from '../../domain/people.js';
import type { Message } from '../../messages/message-model.js';
import { openDecisionsHome } from '../../messages/views/open-decisions-home.js';
import type { ChatRequest } from '../chat-request.js';
import { refuseUnknownUser } from '../commands/access-refusal.js';
import { savingSignOffView } from '../view-inputs/saving-sign-off-view.js';
import { unattributedItemView } from '../view-inputs/unattributed-alert-view.js';
import { varianceRequestView } from '../view-inputs/variance-request-view.js';

/**
 * A person's home (Slack App Home, the Teams personal chat) as it stands now: their open decisions
 * as the policy lets them take them, or, for a user costbridge does not know, how to get access.
 */
export async function homeMessage(request: Pick<ChatRequest, 'store' | 'config' | 'requester' | 'now'>, person: Person | undefined = request.requester.person): Promise<Message> {
  if (!person) return refuseUnknownUser(request);
  const { config } = request;
  const open = await listOpenDecisions(request.store, {
    person,
    requiredFields: config.attribution.requiredFields,
    unattributedThresholds: { minAmount: config.attribution.minAmount, minShare: config.attribution.minShare },
    materiality: { amount: config.variance.materialityAmount, share: config.variance.materialityShare },
  });
  const report = open.report;
  return openDecisionsHome({
    person: `@${person.id}`,
    roles: person.roles.map(describeGrant),
    period: open.period,
    claimable: open.claimable.entries.map(unattributedItemView),
    claimableTotal: open.claimable.total,
    signOffs: open.signOffs.entries.map((v) => savingSignOffView(v, config.timezone)),
    signOffsTotal: open.signOffs.total,
    variances: report ? open.variances.entries.map((row) => varianceRequestView(report, row, config.timezone)) : [],
    variancesTotal: open.variances.total,
    costCenters: open.costCenters.map((r) => ({ costCenter: r.scope, currency: r.currency, actual: r.actual, previous: r.comparison, change: r.variance })),
    at: request.now.toISOString(),
    timeZone: config.timezone,
  });
}
