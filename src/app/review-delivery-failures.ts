import { parseChannel } from '../domain/cadence.js';
import { context, message } from '../messages/message-blocks.js';
import { code } from '../messages/rich-text.js';
import type { Store } from '../store/database.js';
import { enqueueOutboxMessage } from '../store/chat-outbox.js';
import { markFailureReported, unreportedDeliveryFailures, type UnreportedFailure } from '../store/review-runs.js';
import type { DeliveryLog } from './deliver-pending.js';

/** What reporting did: notes queued in joint channels, and failures only the log could be told of. */
export interface FailureReport {
  readonly noted: number;
  readonly logged: number;
}

/**
 * Reports each review delivery the platform refused, or the outbox gave up on after its retries,
 * once: a note in the run's joint channel (the channel its overview went to), in the thread of that
 * overview where it has one, so the people running the review see that an owner's channel did not
 * get its message and why; when the failing channel is the joint channel itself (or the run has no
 * other), an error line in the log instead. Call it after `settleRunDeliveries`.
 */
export async function reportFailedReviewDeliveries(store: Store, request: { now: Date; log: DeliveryLog }): Promise<FailureReport> {
  let noted = 0;
  let logged = 0;
  for (const f of await unreportedDeliveryFailures(store.db)) {
    const joint = f.jointChannels.find((j) => j.channel !== f.channel && j.status === 'sent') ?? f.jointChannels.find((j) => j.channel !== f.channel && j.status === 'queued');
    const done = await store.db.transaction().execute(async (trx) => {
      if (!(await markFailureReported(trx, f.runId, f.channel, request.now))) return false;
      if (!joint) return true;
      const where = parseChannel(joint.channel);
      await enqueueOutboxMessage(trx, {
        platform: where.platform,
        operation: 'post',
        purpose: `delivery-failed:${f.runId}:${f.channel}`,
        target: where.target,
        ...(joint.status === 'sent' && joint.messageId ? { replyTo: joint.messageId } : {}),
        payload: failureNote(f),
      });
      return true;
    });
    if (!done) continue;
    if (joint) {
      noted++;
      request.log.warn({ runId: f.runId, cadence: f.cadenceName, channel: f.channel, error: f.error, notedIn: joint.channel }, 'review delivery failed; noted in the joint channel');
    } else {
      logged++;
      request.log.error(
        { runId: f.runId, cadence: f.cadenceName, periodKey: f.periodKey, channel: f.channel, error: f.error },
        `review delivery of ${f.cadenceName} ${f.periodKey} to ${f.channel} failed (${f.error ?? 'no reason given'}), and that is the joint channel: nobody in chat can be told`,
      );
    }
  }
  return { noted, logged };
}

function failureNote(f: UnreportedFailure) {
  const why = f.error ?? 'no reason given';
  const text = `costbridge could not deliver the ${f.cadenceName} review for ${f.periodKey} to ${f.channel}: ${why}.`;
  return message(text, [
    context(`costbridge could not deliver the `, code(f.cadenceName), ` review for ${f.periodKey} to ${f.channel}: `, code(why), '.'),
    context('Invite the bot to that channel, or change where the cadence posts: ', code('npx costbridge cadence list'), '.'),
  ]);
}
