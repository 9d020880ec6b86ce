import { ErrorCode, WebClient, type WebAPICallError } from '@slack/web-api';
import type { SlackConfig } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Message } from '../../messages/message-model.js';
import type { DeliveryOutcome, DeliveryRecorder, DeliveryTransport } from '../../app/deliver-pending.js';
import type { ClaimedDelivery, OutboxAttachment, OutboxPayloadExtras } from '../../store/chat-outbox.js';
import { boltLogger } from './bolt-logger.js';
import { renderSlackMessage, type SlackImageSource } from './render.js';
import { slashCommand } from './listeners/commands/costbridge-command.js';

// Slack errors worth another try later; every other `ok: false` error is the message's own fault.
const transientPlatformErrors = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout', 'ratelimited']);

/**
 * Delivers outbox rows with the Slack Web API: chat.postMessage, chat.postEphemeral, and chat.update
 * of an earlier delivery. The client itself never retries (the outbox does, durably), and a 429 is
 * reported with its Retry-After instead of being waited out in memory.
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
        const { text, blocks } = renderSlackMessage(payload, { slashCommand, attachments });
        switch (d.operation) {
          case 'post': {
            const r = await client.chat.postMessage({ channel: d.target, text, blocks, ...(d.replyTo ? { thread_ts: d.replyTo } : {}) });
            return delivered(r.ts);
          }
          case 'ephemeral': {
            const r = await client.chat.postEphemeral({ channel: d.target, user: d.recipient, text, blocks, ...(d.replyTo ? { thread_ts: d.replyTo } : {}) });
            return delivered(r.message_ts);
          }
          case 'update': {
            if (!d.messageId) return { kind: 'permanent', error: 'no message to update' };
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
