import type { IncomingMessage } from 'node:http';

/** How far a Slack request's timestamp may be from our clock, either way (Slack's guidance: five minutes). */
export const slackTimestampToleranceSeconds = 5 * 60;

/**
 * Why a Slack request's `X-Slack-Request-Timestamp` is refused, or undefined when it is within five
 * minutes of now in either direction. Bolt refuses old timestamps only; a timestamp from the future
 * is refused here too, so a request signed ahead of time cannot be replayed later.
 */
export function timestampRefusal(req: IncomingMessage, nowMs: number): string | undefined {
  const raw = req.headers['x-slack-request-timestamp'];
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (!text || !/^\d{1,12}$/.test(text)) return 'missing or malformed X-Slack-Request-Timestamp';
  const skew = Number(text) - Math.floor(nowMs / 1000);
  if (Math.abs(skew) > slackTimestampToleranceSeconds) return `X-Slack-Request-Timestamp is ${Math.abs(skew)} s in the ${skew > 0 ? 'future' : 'past'} (at most ${slackTimestampToleranceSeconds} s either way)`;
  return undefined;
}
