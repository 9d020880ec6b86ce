import { listUnattributedSpend } from '../../app/list-unattributed-spend.js';
import { parseBillingMonth } from '../../domain/billing-month.js';
import { unattributedSpendAlert } from '../../messages/views/unattributed-spend-alert.js';
import { unattributedAlertView } from '../view-inputs/unattributed-alert-view.js';
import type { ChatCommand } from './chat-command.js';
import { chatPeriod } from './chat-period.js';
import { note } from './note.js';

/** `unattributed [period]`: posts the month's unattributed-spend alert (open items above the thresholds) with **Claim** / **Not mine**. */
export const unattributedCommand: ChatCommand = {
  name: 'unattributed',
  usage: '[period]',
  summary: 'posts the spend nobody owns yet (latest month by default), with Claim and Not mine',
  requiresPerson: true,
  async run(args, { store, config }) {
    const period = await chatPeriod(store, args[0]);
    if (!period) return note('No cost data is imported yet.');
    const a = config.attribution;
    const spend = await listUnattributedSpend(store, {
      period: parseBillingMonth(period),
      basis: 'effective',
      requiredFields: a.requiredFields,
      thresholds: { minAmount: a.minAmount, minShare: a.minShare },
    });
    const view = unattributedAlertView(spend);
    if (view.items.length === 0) {
      const credits = view.credits ?? [];
      const apart = credits.length > 0 ? ` ${credits.length} unattributed credit(s) net to ≤ 0, so there is nothing to claim there either: \`npx costbridge unattributed --period ${period}\` lists them.` : '';
      return note(`Nothing to claim in ${period}: no open unattributed item reaches the alert thresholds.${apart}`);
    }
    return { posts: [unattributedSpendAlert(view)] };
  },
};
