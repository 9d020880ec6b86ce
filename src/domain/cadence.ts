import { CronExpressionParser } from 'cron-parser';
import { CostbridgeError } from './costbridge-error.js';

// What a review cadence is and when it is due: kinds, channels, cron occurrences in a time zone,
// and the period key every run of one occurrence shares (the claim that makes it happen once).

/** The kinds of scheduled review. */
export const cadenceKinds = ['weekly-digest', 'pre-close-handoff', 'monthly-showback', 'unattributed-alert', 'variance-alert'] as const;
/** A kind of scheduled review. */
export type CadenceKind = (typeof cadenceKinds)[number];

/** Kinds a channel may mute (the weekly digest always posts). */
export const mutableKinds = ['unattributed-alert', 'variance-alert', 'pre-close-handoff', 'monthly-showback'] as const;
/** A kind a channel may mute. */
export type MutableKind = (typeof mutableKinds)[number];

/** A chat destination: a Slack channel id or a Teams conversation id. */
export interface ChatChannel {
  readonly platform: 'slack' | 'teams';
  readonly target: string;
}

/** A cadence as stored. */
export interface Cadence {
  readonly name: string;
  readonly kind: CadenceKind;
  readonly cron: string;
  readonly timezone: string;
  readonly channels: readonly string[];
  readonly costCenters: readonly string[];
  readonly paused: boolean;
  /** Occurrences before this instant are never run. */
  readonly activeSince: Date;
}

/** Checks a cadence name: letters, digits, `.`, `_`, `-`, at most 64 characters. */
export function parseCadenceName(name: string): string {
  const n = name.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(n)) {
    throw new CostbridgeError('INPUT_INVALID', `--name: ${JSON.stringify(name)} is not a cadence name (letters, digits, '.', '_', '-'; at most 64 characters)`);
  }
  return n;
}

/** Reads a cadence kind. */
export function parseCadenceKind(kind: string): CadenceKind {
  const k = kind.trim() as CadenceKind;
  if (!cadenceKinds.includes(k)) throw new CostbridgeError('INPUT_INVALID', `--kind: ${JSON.stringify(kind)} is not one of ${cadenceKinds.join(', ')}`);
  return k;
}

/** Reads an alert kind a channel can mute; `unattributed` and `variance` are short for the `-alert` kinds. */
export function parseMutableKind(kind: string): MutableKind {
  const k = kind.trim();
  const full = (mutableKinds as readonly string[]).includes(k) ? k : `${k}-alert`;
  if (!(mutableKinds as readonly string[]).includes(full)) {
    throw new CostbridgeError('INPUT_INVALID', `alert kind ${JSON.stringify(kind)} is not one of unattributed, variance, ${mutableKinds.join(', ')} (the weekly digest cannot be muted)`);
  }
  return full as MutableKind;
}

/** Reads `slack:C123` or `teams:CONVERSATION_ID`. */
export function parseChannel(channel: string): ChatChannel {
  const m = /^(slack|teams):(\S+)$/.exec(channel.trim());
  if (!m) throw new CostbridgeError('INPUT_INVALID', `--channel: ${JSON.stringify(channel)} must be slack:CHANNEL_ID or teams:CONVERSATION_ID`);
  const platform = m[1] as 'slack' | 'teams';
  const target = m[2]!;
  if (platform === 'slack' && !/^[A-Z0-9]{2,}$/.test(target)) {
    throw new CostbridgeError('INPUT_INVALID', `--channel: ${JSON.stringify(target)} is not a Slack channel id (like C0123ABCD; the id, not the #name)`);
  }
  return { platform, target };
}

/** The `platform:target` form of a channel. */
export function channelKey(c: ChatChannel): string {
  return `${c.platform}:${c.target}`;
}

/** Checks an IANA time zone name. */
export function parseTimeZone(zone: string): string {
  const z = zone.trim();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: z });
  } catch {
    throw new CostbridgeError('INPUT_INVALID', `--timezone: ${JSON.stringify(zone)} is not an IANA time zone (like UTC, Europe/Paris, America/New_York)`);
  }
  if (z === '') throw new CostbridgeError('INPUT_INVALID', '--timezone: must not be empty');
  return z;
}

/** Checks a cron expression: 5 fields (minute hour day month weekday) or 6 (with seconds first). */
export function parseCron(expression: string): string {
  const e = expression.trim().replace(/\s+/g, ' ');
  const fields = e.split(' ').length;
  if (fields < 5 || fields > 6) {
    throw new CostbridgeError('INPUT_INVALID', `--cron: ${JSON.stringify(expression)} has ${fields} fields; use 5 (minute hour day-of-month month day-of-week, e.g. "0 9 * * 1") or 6 (seconds first)`);
  }
  try {
    CronExpressionParser.parse(e, { tz: 'UTC', strict: false }).next();
  } catch (err) {
    throw new CostbridgeError('INPUT_INVALID', `--cron: ${JSON.stringify(expression)} is not a valid cron expression: ${(err as Error).message}`);
  }
  return e;
}

/** The latest occurrence at or before `at`, or undefined when there is none. */
export function latestOccurrence(cron: string, timezone: string, at: Date): Date | undefined {
  try {
    return CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(at.getTime() + 1) }).prev().toDate();
  } catch {
    return undefined;
  }
}

/** The first occurrence strictly after `at`, or undefined when there is none. */
export function nextOccurrence(cron: string, timezone: string, at: Date): Date | undefined {
  try {
    return CronExpressionParser.parse(cron, { tz: timezone, currentDate: at }).next().toDate();
  } catch {
    return undefined;
  }
}

/** Wall-clock parts of an instant in a time zone. */
export function wallClock(at: Date, timezone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The period key of an occurrence: its local wall time in the cadence's zone, `2026-11-30T09:00`. */
export function periodKey(occurrence: Date, timezone: string): string {
  const w = wallClock(occurrence, timezone);
  return `${w.date}T${w.time}`;
}

/** An occurrence that should run now. */
export interface DueOccurrence {
  readonly scheduledFor: Date;
  readonly periodKey: string;
  /** 'schedule' when it is running on time, 'catch-up' when it was missed and is run late. */
  readonly trigger: 'schedule' | 'catch-up';
}

/**
 * The occurrence of a cadence due at `now`: the latest one at or before `now`, if it is not older
 * than the catch-up window and not before the cadence became active. Older misses are skipped.
 * `onTimeMs`: how late a run may start and still count as on schedule.
 */
export function dueOccurrence(cadence: Cadence, now: Date, catchupHours: number, onTimeMs = 5 * 60_000): DueOccurrence | undefined {
  if (cadence.paused) return undefined;
  const at = latestOccurrence(cadence.cron, cadence.timezone, now);
  if (!at || at.getTime() < cadence.activeSince.getTime()) return undefined;
  const late = now.getTime() - at.getTime();
  if (late > Math.max(catchupHours * 3600_000, onTimeMs)) return undefined;
  return { scheduledFor: at, periodKey: periodKey(at, cadence.timezone), trigger: late <= onTimeMs ? 'schedule' : 'catch-up' };
}

/** Reads a duration like `7d`, `12h`, `30m` or `2w` into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,4})\s*(m|h|d|w)$/.exec(text.trim().toLowerCase());
  if (!m || Number(m[1]) === 0) throw new CostbridgeError('INPUT_INVALID', `duration ${JSON.stringify(text)} must be a number and a unit: 30m, 12h, 7d or 2w`);
  const unit = { m: 60_000, h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}
