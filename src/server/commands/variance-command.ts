import type { Message } from '../../messages/message-model.js';
import { code } from '../../messages/rich-text.js';
import { varianceExplanationRequest } from '../../messages/views/variance-explanation-request.js';
import { chatVarianceReport } from '../actions/variance-state.js';
import { varianceRequestView } from '../view-inputs/variance-request-view.js';
import type { ChatCommand } from './chat-command.js';
import { chatPeriod, looksLikePeriod } from './chat-period.js';
import { note } from './note.js';

/** At most this many explanation requests are posted per command. */
export const maxVariancesPosted = 10;

/**
 * `variance [cost-center] [period]`: posts an explanation request (with **Explain**) per material
 * variance that still has unexplained components, against the previous month on the effective basis.
 */
export const varianceCommand: ChatCommand = {
  name: 'variance',
  usage: '[cost-center] [period]',
  summary: 'posts material variances still to explain (latest month by default), with Explain',
  requiresPerson: true,
  async run(args, request) {
    const periodArg = args.find(looksLikePeriod);
    const scope = args.find((a) => !looksLikePeriod(a));
    const period = await chatPeriod(request.store, periodArg);
    if (!period) return note('No cost data is imported yet.');
    const report = await chatVarianceReport(request, period, scope);
    const open = report.rows.filter((r) => r.needsExplanation && r.unexplainedComponents.length > 0);
    if (open.length === 0) return note(`No material variance left to explain in ${period}${scope ? ` for ${scope}` : ''}.`);
    const posts: Message[] = open.slice(0, maxVariancesPosted).map((row) => varianceExplanationRequest(varianceRequestView(report, row, request.config.timezone)));
    const more = open.length - posts.length;
    if (more <= 0) return { posts };
    const cli = `npx costbridge variance open --period ${period}`;
    return { posts, reply: note(`${more} more variances not posted; see them with ${cli}`, `${more} more not posted; see them all with `, code(cli)) };
  },
};
