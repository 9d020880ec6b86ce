import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a chart URL in a posted message keeps working (Teams fetches the image whenever the message is shown). */
export const chartUrlLifetimeMs = 30 * 24 * 60 * 60 * 1000;

const idPattern = /^(\d{1,15})-([a-z0-9][a-z0-9-]{0,63})$/;

function signature(key: string, outboxId: number, attachment: string, expires: number): string {
  return createHmac('sha256', key).update(`chart:${outboxId}:${attachment}:${expires}`).digest('base64url');
}

/**
 * The HTTPS address of one message's chart image as `serve` answers it: `GET /charts/ID.png?token=…`
 * where ID names the outbox message and its attachment and the token is an HMAC-SHA256 of both and
 * the expiry. Undefined for an attachment name that cannot be part of the path.
 */
export function signedChartUrl(publicUrl: string, key: string, chart: { outboxId: number; attachment: string; now: Date }): string | undefined {
  const id = `${chart.outboxId}-${chart.attachment}`;
  if (!idPattern.test(id)) return undefined;
  const expires = Math.floor((chart.now.getTime() + chartUrlLifetimeMs) / 1000);
  return `${publicUrl}/charts/${id}.png?token=${expires}.${signature(key, chart.outboxId, chart.attachment, expires)}`;
}

/** What a chart request came to: the message and attachment to serve, or why not (every refusal is a 403). */
export type ChartRequest = { readonly ok: true; readonly outboxId: number; readonly attachment: string } | { readonly ok: false; readonly reason: string };

/** Checks a `/charts/ID.png` request's token: signed with `key` for that very ID, and not expired. */
export function verifyChartRequest(key: string, id: string, token: string | null, now: Date): ChartRequest {
  const m = idPattern.exec(id);
  if (!m) return { ok: false, reason: 'not a chart id' };
  const t = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
  if (!t) return { ok: false, reason: 'missing or malformed token' };
  const outboxId = Number(m[1]);
  const attachment = m[2]!;
  const expires = Number(t[1]);
  const expected = Buffer.from(signature(key, outboxId, attachment, expires));
  const given = Buffer.from(t[2]!);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'bad signature' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, outboxId, attachment };
}
