import type { Cadence } from '../domain/cadence.js';
import { digestAgenda, type AgendaItem, type DigestUnattributedItem, type WeeklyDigest } from '../domain/digest.js';
import { Money } from '../domain/money.js';
import { routeChannels, type RoutedChannel } from '../domain/review-routing.js';
import type { Message } from '../messages/message-model.js';
import { unattributedAlertMessage, varianceAlertMessage } from '../messages/views/review-alerts.js';
import { weeklyDigestMessage } from '../messages/views/weekly-digest.js';
import { costCenterChannels, listSubscriptions, mutedChannels } from '../store/alert-routing.js';
import type { Store } from '../store/database.js';
import { previousRun, type ReviewRun } from '../store/review-runs.js';
import { buildWeeklyDigest } from './build-weekly-digest.js';
import type { ReviewSettings } from './review-settings.js';

/** One channel's message of a run (null: muted, or nothing crossed a threshold for it). */
export interface ProducedMessage {
  readonly route: RoutedChannel;
  readonly message: Message | null;
  readonly muted: boolean;
}

/** What a run produces before anything is posted. */
export interface ProducedRun {
  /** The overview digest (the cadence's whole scope). */
  readonly digest: WeeklyDigest;
  /** The overview message, also what the terminal prints (null for an alert with nothing to say). */
  readonly overview: Message | null;
  readonly messages: readonly ProducedMessage[];
  readonly agenda: readonly AgendaItem[];
  /** True for an alert kind where nothing crossed a threshold: no message at all. */
  readonly quiet: boolean;
  /** Channel names that could not be read (master data `chat_channel` values). */
  readonly invalidChannels: readonly string[];
}

/** Builds every message a cadence's run posts at `at`, routed per channel, without storing anything. */
export async function produceRun(
  store: Store,
  settings: ReviewSettings,
  cadence: Cadence,
  at: Date,
  previous: { readonly at: Date | null; readonly agenda: readonly AgendaItem[] },
  options: { readonly chart?: boolean } = {},
): Promise<ProducedRun> {
  const [subscriptions, ccChannels] = await Promise.all([listSubscriptions(store.db), costCenterChannels(store.db)]);
  const { routes, invalid } = routeChannels({ cadenceChannels: cadence.channels, cadenceScope: cadence.costCenters, subscriptions, costCenterChannels: ccChannels });
  const digests = new Map<string, Promise<WeeklyDigest>>();
  const digestFor = (scope: readonly string[]) => {
    const key = scope.join(',');
    let d = digests.get(key);
    if (!d) {
      d = buildWeeklyDigest(store, {
        cadence: cadence.name,
        at,
        timezone: settings.timezone,
        scope,
        previousReviewAt: previous.at,
        requiredFields: settings.requiredFields,
        governedCategories: settings.governedCategories,
        windowDays: settings.windowDays,
        businessDays: settings.businessDays,
        materiality: settings.materiality,
      });
      digests.set(key, d);
    }
    return d;
  };
  const overviewScope = cadence.costCenters;
  const digest = await digestFor(overviewScope);
  const muted = cadence.kind === 'weekly-digest' ? new Set<string>() : await mutedChannels(store.db, cadence.kind, at);
  const seen = new Set(previous.agenda.map((a) => `${a.section}|${a.subjectId}`));

  const messageFor = async (scope: readonly string[]): Promise<Message | null> => {
    const d = scope.length === 0 ? digest : await digestFor(scope);
    switch (cadence.kind) {
      case 'weekly-digest':
        return weeklyDigestMessage(d, { chart: options.chart ?? true });
      case 'variance-alert': {
        const rows = d.budgets.filter((b) => b.material && new Money(b.differenceToBudget).isPos());
        return rows.length === 0 ? null : varianceAlertMessage({ period: d.period, asOf: d.asOf, rows, demo: d.demo });
      }
      case 'unattributed-alert': {
        const items = newUnattributedItems(d, settings, seen);
        return items.length === 0 ? null : unattributedAlertMessage({ period: d.period, items, demo: d.demo });
      }
      default:
        throw new Error(`cadence kind ${cadence.kind} cannot be run yet`);
    }
  };

  const overview = await messageFor(overviewScope);
  const messages: ProducedMessage[] = [];
  for (const route of routes) {
    if (muted.has(route.channel)) {
      messages.push({ route, message: null, muted: true });
      continue;
    }
    // Owners' channels get only their cost centers; unattributed spend is nobody's yet, so its alert goes to the overview only.
    const message = route.scope.length === 0 ? overview : cadence.kind === 'unattributed-alert' ? null : await messageFor(route.scope);
    if (message !== null) messages.push({ route, message, muted: false });
  }
  const agenda = cadence.kind === 'weekly-digest' ? digestAgenda(digest) : alertAgenda(cadence, digest, settings, seen);
  return { digest, overview, messages, agenda, quiet: cadence.kind !== 'weekly-digest' && overview === null && messages.every((m) => m.message === null), invalidChannels: invalid };
}

function newUnattributedItems(d: WeeklyDigest, settings: ReviewSettings, seen: ReadonlySet<string>): DigestUnattributedItem[] {
  const out: DigestUnattributedItem[] = [];
  for (const u of d.unattributed ?? []) {
    const total = d.headline.find((h) => h.currency === u.currency)?.effective ?? '0';
    for (const i of u.topItems) {
      const amount = new Money(i.effective);
      const share = new Money(total).isZero() ? new Money(0) : amount.div(total);
      if (amount.lt(settings.unattributedMinAmount) && share.lt(settings.unattributedMinShare)) continue;
      if (seen.has(`claim-spend|${unattributedSubject(d.period, i)}`)) continue;
      out.push(i);
    }
  }
  return out;
}

function unattributedSubject(period: string, i: DigestUnattributedItem): string {
  return i.itemId ?? [period, i.provider, i.billingAccountId, i.subAccountId, i.service].join('/');
}

function alertAgenda(cadence: Cadence, d: WeeklyDigest, settings: ReviewSettings, seen: ReadonlySet<string>): AgendaItem[] {
  if (cadence.kind === 'variance-alert') {
    return digestAgenda(d).filter((a) => a.section === 'over-budget');
  }
  // The unattributed alert remembers every item alerted so far, so each is alerted once.
  const fresh = newUnattributedItems(d, settings, seen).map((i): AgendaItem => ({
    section: 'claim-spend',
    subjectType: i.itemId ? 'unattributed-item' : 'unattributed-group',
    subjectId: unattributedSubject(d.period, i),
    summary: `${i.provider} ${i.service}: ${i.effective} ${i.currency} effective`,
  }));
  const carried = [...seen].filter((k) => k.startsWith('claim-spend|')).map((k): AgendaItem => ({ section: 'claim-spend', subjectType: 'alerted', subjectId: k.slice('claim-spend|'.length), summary: 'alerted earlier' }));
  return [...fresh, ...carried];
}

/** The previous run's time and agenda, for "since the last review" and alerting new items once. */
export async function previousReview(store: Store, cadenceName: string, beforeRunId: number | null): Promise<{ at: Date | null; agenda: AgendaItem[]; run: ReviewRun | undefined }> {
  const prev = await previousRun(store.db, cadenceName, beforeRunId);
  return { at: prev ? prev.claimedAt : null, agenda: Array.isArray(prev?.agenda) ? (prev!.agenda as AgendaItem[]) : [], run: prev };
}

/** Kinds a run can be produced for today. */
export const runnableKinds: readonly Cadence['kind'][] = ['weekly-digest', 'variance-alert', 'unattributed-alert'];
