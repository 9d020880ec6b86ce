import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Message } from '../../messages/message-model.js';
import type { DeliveryOutcome, DeliveryRecorder, DeliveryTransport } from '../../app/deliver-pending.js';
import type { ClaimedDelivery, OutboxAttachment, OutboxPayloadExtras } from '../../store/chat-outbox.js';
import { boltLogger } from './bolt-logger.js';
import { renderSlackHome, renderSlackMessage, type SlackImageSource } from './render.js';
import { homeDeliveredId, isHomeDeliveredId } from './home-view-ref.js';
import { slashCommand } from './listeners/commands/costbridge-command.js';
import { isResponseDeliveredId, responseBlockId, responseDeliveredId } from './response-message-ref.js';
import { usableResponseUrl } from './response-url.js';

// Slack errors worth another try later; every other `ok: false` error is the message's own fault.
const transientPlatformErrors = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);
// chat.postMessage's answers when the bot cannot post where a slash command was typed (a private
// channel it is not in, a DM between people): the command's response_url still reaches the user.
const unreachableChannelErrors = new Set(['channel_not_found', 'not_in_channel']);
// A response_url that no longer takes messages (30 minutes, 5 messages): the Web API is the way left.
const spentResponseUrlErrors = new Set(['expired_url', 'used_url', 'HTTP 404', 'HTTP 410']);

/**
 * Delivers outbox rows with the Slack Web API: chat.postMessage, chat.postEphemeral, and chat.update
 * of an earlier delivery. The client itself never retries (the outbox does, durably), and a 429 is
 * reported with its Retry-After instead of being waited out in memory.
 *
 * A `home` row (and an update of one) publishes a person's App Home with views.publish.
 *
 * A row carrying the interaction's `response_url` goes there instead (JSON POST): an ephemeral reply
 * (`response_type: ephemeral`, works where the bot is not a member), an update replacing the clicked
 * ephemeral message (`replace_original`), and a post Slack refuses for the channel. Messages sent
 * that way get the block ids of `responseBlockId`, so a click on them finds the stored message.
 */
export function slackTransport(config: SlackConfig, log: Logger): DeliveryTransport {
  const client = new WebClient(config.botToken, {
    slackApiUrl: config.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 30_000,
    logger: boltLogger(log),
  });
  return {
    async deliver(d: ClaimedDelivery, recorder?: DeliveryRecorder): Promise<DeliveryOutcome> {
      const payload = d.payload as Message & OutboxPayloadExtras;
      try {
        const attachments: Record<string, SlackImageSource> = {};
        for (const a of payload.attachments ?? []) {
          // Uploaded once per row: the file id is recorded before the message is sent, and a retry reuses it.
          let fileId = payload.uploads?.[a.name];
          if (!fileId) {
            const uploaded = await uploadAttachment(client, a);
            if (uploaded.kind !== 'delivered') return uploaded;
            fileId = uploaded.messageId;
            await recorder?.recordUpload(a.name, fileId);
          }
          attachments[a.name] = { slackFileId: fileId };
        }
        // An App Home is published whole (views.publish replaces the person's home tab), first and on every refresh.
        if (d.operation === 'home' || (d.operation === 'update' && isHomeDeliveredId(d.messageId))) {
          const r = await client.views.publish({ user_id: d.target, view: renderSlackHome(payload, { slashCommand, attachments }) as never });
          return r.view?.id ? delivered(homeDeliveredId(r.view.id)) : { kind: 'permanent', error: 'views.publish returned no view id' };
        }
        const { text, blocks } = renderSlackMessage(payload, { slashCommand, attachments });
        const responseUrl = d.responseUrl ? usableResponseUrl(d.responseUrl, config.apiUrl) : undefined;
        switch (d.operation) {
          case 'post': {
            try {
              const r = await client.chat.postMessage({ channel: d.target, text, blocks, ...(d.replyTo ? { thread_ts: d.replyTo } : {}) });
              return delivered(r.ts);
            } catch (e) {
              const refused = classifySlackError(e as WebAPICallError);
              if (!responseUrl || refused.kind !== 'permanent' || !unreachableChannelErrors.has(refused.error)) throw e;
              log.info({ outboxId: d.id, channel: d.target, error: refused.error }, 'the bot cannot post in this channel; answering through the command\'s response_url instead');
              return await respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text, blocks: tagged(blocks, d.id, d.id) }, d.id);
            }
          }
          case 'ephemeral': {
            if (responseUrl) {
              const r = await respond(responseUrl, { response_type: 'ephemeral', replace_original: false, text, blocks: tagged(blocks, d.id, d.id), ...(d.replyTo ? { thread_ts: d.replyTo } : {}) }, d.id);
              if (r.kind !== 'permanent' || !spentResponseUrlErrors.has(r.error)) return r;
              log.info({ outboxId: d.id, channel: d.target, error: r.error }, 'response_url no longer takes messages; replying with chat.postEphemeral');
            }
            const r = await client.chat.postEphemeral({ channel: d.target, user: d.recipient, text, blocks, ...(d.replyTo ? { thread_ts: d.replyTo } : {}) });
            return delivered(r.message_ts);
          }
          case 'update': {
            if (!d.messageId) return { kind: 'permanent', error: 'no message to update' };
            if (responseUrl) {
              const base = d.updateOf ?? d.id;
              return await respond(responseUrl, { replace_original: true, text, blocks: tagged(blocks, base, d.id) }, base);
            }
            if (isResponseDeliveredId(d.messageId)) return { kind: 'permanent', error: 'a message sent through a response_url can only be replaced from a click on it' };
            const r = await client.chat.update({ channel: d.target, ts: d.messageId, text, blocks });
            return delivered(r.ts ?? d.messageId);
          }
        }
      } catch (e) {
        return classifySlackError(e as WebAPICallError);
      }
    },
  };
}

/**
 * Uploads an attachment with Slack's external upload flow: files.getUploadURLExternal, the bytes to
 * the URL it returns, files.completeUploadExternal without a channel (the file stays private to the
 * bot, and the message shows it through an image block's `slack_file`). Answers the file id as the
 * outcome's `messageId`, or the failure to report.
 */
async function uploadAttachment(client: WebClient, a: OutboxAttachment): Promise<DeliveryOutcome> {
  const bytes = Buffer.from(a.base64, 'base64');
  const target = await client.files.getUploadURLExternal({ filename: a.filename, length: bytes.length, alt_text: a.title });
  if (!target.upload_url || !target.file_id) return { kind: 'permanent', error: 'files.getUploadURLExternal returned no upload_url/file_id' };
  let response: Response;
  try {
    response = await fetch(target.upload_url, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' }, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    return { kind: 'transient', error: `file upload: ${(e as Error).message}` };
  }
  await response.arrayBuffer().catch(() => undefined);
  if (response.status === 429) return { kind: 'rate-limited', retryAfterMs: (Number(response.headers.get('retry-after')) || 60) * 1000, error: 'file upload: HTTP 429' };
  if (response.status >= 500 || response.status === 408) return { kind: 'transient', error: `file upload: HTTP ${response.status}` };
  if (response.status !== 200) return { kind: 'permanent', error: `file upload: HTTP ${response.status}` };
  await client.files.completeUploadExternal({ files: [{ id: target.file_id, title: a.title }] });
  return { kind: 'delivered', messageId: target.file_id };
}

/** The blocks with each actions block's block id naming the message (`baseId`) and this revision (`rowId`). */
function tagged(blocks: readonly object[], baseId: number, rowId: number): object[] {
  let k = 0;
  return blocks.map((b) => ((b as { type?: string }).type === 'actions' ? { ...b, block_id: responseBlockId(baseId, rowId, k++) } : b));
}

/**
 * POSTs a message to a response_url. Slack answers `{"ok":true}` (older hooks: `ok`), or an error
 * such as `expired_url`, `used_url`, `invalid_blocks` in a JSON body or as text.
 */
async function respond(url: string, body: Record<string, unknown>, baseId: number): Promise<DeliveryOutcome> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' }, signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    return { kind: 'transient', error: `response_url: ${(e as Error).message}` };
  }
  const raw = await response.text().catch(() => '');
  let answer: { ok?: boolean; error?: string } | undefined;
  try {
    answer = JSON.parse(raw) as { ok?: boolean; error?: string };
  } catch {
    answer = raw.trim() === 'ok' ? { ok: true } : raw.trim() ? { ok: false, error: raw.trim().slice(0, 100) } : undefined;
  }
  if (response.status === 200 && answer?.ok !== false) return { kind: 'delivered', messageId: responseDeliveredId(baseId) };
  if (response.status === 429) return { kind: 'rate-limited', retryAfterMs: (Number(response.headers.get('retry-after')) || 60) * 1000, error: 'response_url: HTTP 429' };
  if (response.status >= 500 || response.status === 408) return { kind: 'transient', error: `response_url: HTTP ${response.status}` };
  return { kind: 'permanent', error: answer?.error ?? `HTTP ${response.status}` };
}

function delivered(id: string | undefined): DeliveryOutcome {
  return id ? { kind: 'delivered', messageId: id } : { kind: 'permanent', error: 'Slack accepted the message but returned no ts' };
}

/** How the outbox treats a Slack Web API failure. */
export function classifySlackError(e: WebAPICallError): DeliveryOutcome {
  switch (e.code) {
    case ErrorCode.RateLimitedError:
      return { kind: 'rate-limited', retryAfterMs: e.retryAfter * 1000, error: `rate limited (Retry-After ${e.retryAfter}s)` };
    case ErrorCode.HTTPError:
      return e.statusCode === 429
        ? { kind: 'rate-limited', retryAfterMs: 60_000, error: 'HTTP 429' }
        : e.statusCode >= 500 || e.statusCode === 408
          ? { kind: 'transient', error: `HTTP ${e.statusCode}` }
          : { kind: 'permanent', error: `HTTP ${e.statusCode}` };
    case ErrorCode.PlatformError: {
      const error = String(e.data?.error ?? 'unknown_error');
      return transientPlatformErrors.has(error) ? { kind: 'transient', error } : { kind: 'permanent', error };
    }
    default:
      // Request errors (network, timeout) and anything unforeseen: retry.
      return { kind: 'transient', error: (e as Error).message };
  }
}
