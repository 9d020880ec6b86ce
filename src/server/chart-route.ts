import type { Store } from '../store/database.js';
import { outboxRow, type OutboxPayloadExtras } from '../store/chat-outbox.js';
import { signedChartUrl, verifyChartRequest } from './chart-url.js';

/** An HTTP answer, for the composition root's server to write. */
export interface ChartResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | string;
}

/**
 * `GET /charts/ID.png?token=…`: the chart PNG a message carries, for a valid, unexpired token only
 * (403 otherwise, saying nothing about what exists); 404 when the signed message or its chart is gone.
 */
export async function answerChartRequest(store: Store, key: string | undefined, url: URL, now: Date): Promise<ChartResponse> {
  const m = /^\/charts\/([^/]+)\.png$/.exec(url.pathname);
  const refused = (reason: string): ChartResponse => ({ status: 403, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-costbridge-refusal': reason }, body: 'forbidden' });
  if (!m || !key) return refused(key ? 'not a chart path' : 'chart URLs are not configured');
  const checked = verifyChartRequest(key, m[1]!, url.searchParams.get('token'), now);
  if (!checked.ok) return refused(checked.reason);
  const row = await outboxRow(store.db, checked.outboxId);
  const attachment = (row?.payload as OutboxPayloadExtras | undefined)?.attachments?.find((a) => a.name === checked.attachment);
  if (!attachment || attachment.mediaType !== 'image/png') return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' };
  const bytes = Buffer.from(attachment.base64, 'base64');
  // The URL is a capability: private caching only, and never sniffed as anything but a PNG.
  return { status: 200, headers: { 'content-type': 'image/png', 'content-length': String(bytes.length), 'cache-control': 'private, max-age=86400', 'x-content-type-options': 'nosniff' }, body: bytes };
}

/** The signer the Teams transport links chart images with, when `PUBLIC_URL` and the key are configured. */
export function chartUrlSigner(publicUrl: string | undefined, key: string | undefined, now: () => Date): ((outboxId: number, attachment: string) => string | undefined) | undefined {
  if (!publicUrl || !key) return undefined;
  return (outboxId, attachment) => signedChartUrl(publicUrl, key, { outboxId, attachment, now: now() });
}
