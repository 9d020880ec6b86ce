import { isUnattributedCredit } from '../domain/unattributed-spend.js';
import { parseBillingMonth } from '../domain/billing-month.js';
import { wallClock, type Cadence } from '../domain/cadence.js';
import {
  digestAgenda,
  monthlyReviewDue,
  monthlyReviewMarker,
  monthlyReviewPosted,
  overBudgetItems,
  worstFirst,
  type AgendaItem,
  type DigestHeadline,
  type DigestUnattributedItem,
  type MonthlyReviewKind,
  type WeeklyDigest,
} from '../domain/digest.js';
import { Money } from '../domain/money.js';
import { unattributedScope } from '../domain/cost-center-rollup.js';
import { parseSharedFields } from '../domain/shared-fields.js';
import { routeChannels, type RoutedChannel } from '../domain/review-routing.js';
import type { Message } from '../messages/message-model.js';
import {
  monthlyShowbackMessage,
  preCloseHandoffMessage,
  unattributedAlertMessage,
  varianceAlertMessage,
  type HandoffMessageRow,
  type ShowbackMessageRow,
} from '../messages/views/review-alerts.js';
import { digestChartAttachment, digestChartText, digestIsEmpty, weeklyDigestMessages } from '../messages/views/weekly-digest.js';
import { digestChartData } from '../charts/digest-chart-data.js';
import type { OutboxAttachment } from '../store/chat-outbox.js';
import { costCenterChannels, listSubscriptions, mutedChannels } from '../store/alert-routing.js';
import type { Store } from '../store/database.js';
import { periodTotals } from '../store/digest-facts.js';
import { previousRun, type ReviewRun } from '../store/review-runs.js';
import { buildHandoff } from './build-handoff.js';
import { buildWeeklyDigest } from './build-weekly-digest.js';
import { showback } from './showback.js';
import type { ReviewSettings } from './review-settings.js';

/** One channel's message of a run (null: muted, or nothing crossed a threshold for it). */
export interface ProducedMessage {
  readonly route: RoutedChannel;
  readonly message: Message | null;
  readonly muted: boolean;
  /** Files the message shows (the digest chart as PNG), when the run renders them. */
  readonly attachments?: readonly OutboxAttachment[];
  /** Replies posted in the message's thread once it is delivered (the digest's details), in order. */
  readonly thread?: readonly ThreadReply[];
}

/** A reply in a message's thread, with the files it shows. */
export interface ThreadReply {
  readonly message: Message;
  readonly attachments?: readonly OutboxAttachment[];
}

/** The facts a run's summary records: the month it covered and its totals. */
export interface RunFacts {
  /** `YYYY-MM`. */
  readonly period: string;
  /** `YYYY-MM-DD`: data before this day counts. */
  readonly asOf: string;
  readonly headline: readonly DigestHeadline[];
  readonly demo: boolean;
}

/** What a run produces before anything is posted. */
export interface ProducedRun {
  readonly facts: RunFacts;
  /** The overview digest (weekly digest and alert kinds; undefined for the monthly kinds). */
  readonly digest?: WeeklyDigest;
  /** The overview message, also what the terminal prints (null for an alert with nothing to say). */
  readonly overview: Message | null;
  /** The overview's thread replies (the weekly digest's details). */
  readonly overviewThread?: readonly Message[];
  readonly messages: readonly ProducedMessage[];
  readonly agenda: readonly AgendaItem[];
  /** True for an alert kind where nothing crossed a threshold (or a monthly kind not due): no message at all. */
  readonly quiet: boolean;
  /** Why a quiet run posted nothing. */
  readonly quietReason?: string;
  /** Channel names that could not be read (master data `chat_channel` values). */
  readonly invalidChannels: readonly string[];
}

const unattributedRow = '(unattributed)';

/** Builds every message a cadence's run posts at `at`, routed per channel, without storing anything. */
export async function produceRun(
  store: Store,
  settings: ReviewSettings,
  cadence: Cadence,
  at: Date,
  previous: { readonly at: Date | null; readonly agenda: readonly AgendaItem[] },
  options: {
    readonly chart?: boolean;
    /** Render the digest chart to PNG for each message that shows it (runs that post; a dry run does not need the bytes). */
    readonly renderCharts?: boolean;
    /** A forced re-run posts a monthly review even when it was posted already. */
    readonly force?: boolean;
    /** The moment whose data the messages show (default `at`, the slot). */
    readonly dataAt?: Date;
    /** When the messages are really built (default `dataAt`). */
    readonly generatedAt?: Date;
  } = {},
): Promise<ProducedRun> {
  const [subscriptions, ccChannels] = await Promise.all([listSubscriptions(store.db), costCenterChannels(store.db)]);
  const { routes, invalid } = routeChannels({ cadenceChannels: cadence.channels, cadenceScope: cadence.costCenters, subscriptions, costCenterChannels: ccChannels });
  if (cadence.kind === 'pre-close-handoff' || cadence.kind === 'monthly-showback') {
    return produceMonthlyRun(store, settings, cadence, cadence.kind, at, previous, routes, invalid, options.force ?? false);
  }
  const digests = new Map<string, Promise<WeeklyDigest>>();
  const digestFor = (scope: readonly string[]) => {
    const key = scope.join(',');
    let d = digests.get(key);
    if (!d) {
      d = buildWeeklyDigest(store, {
        cadence: cadence.name,
        at: options.dataAt ?? at,
        generatedAt: options.generatedAt ?? options.dataAt ?? at,
        unattributedThresholds: { minAmount: settings.unattributedMinAmount, minShare: settings.unattributedMinShare },
        timezone: settings.timezone,
        scope,
        previousReviewAt: previous.at,
        requiredFields: settings.requiredFields,
        governedCategories: settings.governedCategories,
        windowDays: settings.windowDays,
        businessDays: settings.businessDays,
        materiality: settings.materiality,
        unattributedCostCenter: settings.unattributedCostCenter ?? null,
      });
      digests.set(key, d);
    }
    return d;
  };
  const overviewScope = cadence.costCenters;
  const digest = await digestFor(overviewScope);
  const muted = cadence.kind === 'weekly-digest' ? new Set<string>() : await mutedChannels(store.db, cadence.kind, at);
  const seen = new Set(previous.agenda.map((a) => `${a.section}|${a.subjectId}`));

  const threads = new Map<string, readonly Message[]>();
  const messageFor = async (scope: readonly string[]): Promise<Message | null> => {
    const d = scope.length === 0 ? digest : await digestFor(scope);
    switch (cadence.kind) {
      case 'weekly-digest': {
        // A cost center with nothing in it (a parent without spend of its own) gets no message.
        if (scope.length > 0 && digestIsEmpty(d)) return null;
        const m = weeklyDigestMessages(d, { chart: options.chart ?? true });
        threads.set(scope.join(','), m.thread);
        return m.parent;
      }
      case 'variance-alert': {
        // Uncarried unattributed spend has its own alert (unattributed-alert); a carrier's row includes it.
        const rows = overBudgetItems(d.budgets).filter((b) => b.costCenter !== unattributedScope);
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
  const charts = new Map<string, OutboxAttachment[]>();
  const chartFor = async (scope: readonly string[]): Promise<OutboxAttachment[]> => {
    if (cadence.kind !== 'weekly-digest' || !options.renderCharts || options.chart === false) return [];
    const key = scope.join(',');
    let c = charts.get(key);
    if (!c) {
      c = await digestChartAttachments(scope.length === 0 ? digest : await digestFor(scope));
      charts.set(key, c);
    }
    return c;
  };
  const messages: ProducedMessage[] = [];
  for (const route of routes) {
    if (muted.has(route.channel)) {
      messages.push({ route, message: null, muted: true });
      continue;
    }
    // Owners' channels get only their cost centers; unattributed spend is nobody's yet, so its alert goes to the overview only.
    const message = route.scope.length === 0 ? overview : cadence.kind === 'unattributed-alert' ? null : await messageFor(route.scope);
    if (message === null) continue;
    const replies = threads.get(route.scope.join(','));
    if (!replies) {
      messages.push({ route, message, muted: false });
      continue;
    }
    // The chart belongs to the first reply (budget and what moved), where its image block is.
    const attachments = await chartFor(route.scope);
    const thread = replies.map((m, i): ThreadReply => (i === 0 && attachments.length > 0 ? { message: m, attachments } : { message: m }));
    messages.push({ route, message, muted: false, thread });
  }
  const agenda = cadence.kind === 'weekly-digest' ? digestAgenda(digest) : alertAgenda(cadence, digest, settings, seen);
  const facts = { period: digest.period, asOf: digest.asOf, headline: digest.headline, demo: digest.demo };
  return { facts, digest, overview, overviewThread: threads.get(overviewScope.join(',')) ?? [], messages, agenda, quietReason: 'nothing crossed a threshold: no message', quiet: cadence.kind !== 'weekly-digest' && overview === null && messages.every((m) => m.message === null), invalidChannels: invalid };
}

/** The digest chart as a PNG attachment (none when the digest has no spend to chart). */
export async function digestChartAttachments(d: WeeklyDigest): Promise<OutboxAttachment[]> {
  const data = digestChartData(d);
  if (!data) return [];
  // Loaded on first use: echarts and resvg are ~600 modules that a dry run (npm start's digest in
  // the terminal, `review run --dry-run`) never renders with.
  const { renderDigestChartPng } = await import('../charts/digest-chart.js');
  const chart = renderDigestChartPng(data);
  const scope = d.scope.length > 0 ? `-${d.scope.join('-')}` : '';
  return [
    {
      name: digestChartAttachment,
      filename: `costbridge-digest-${d.period}${scope}.png`.replace(/[^A-Za-z0-9._-]/g, '_'),
      title: digestChartText(d).slice(0, 250),
      mediaType: 'image/png',
      width: chart.width,
      height: chart.height,
      base64: chart.png.toString('base64'),
    },
  ];
}

function newUnattributedItems(d: WeeklyDigest, settings: ReviewSettings, seen: ReadonlySet<string>): DigestUnattributedItem[] {
  const out: DigestUnattributedItem[] = [];
  for (const u of d.unattributed ?? []) {
    const total = d.headline.find((h) => h.currency === u.currency)?.effective ?? '0';
    for (const i of u.topItems) {
      if (isUnattributedCredit(i.billed, i.effective)) continue;
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

/** Kinds a run can be produced for. */
export const runnableKinds: readonly Cadence['kind'][] = ['weekly-digest', 'pre-close-handoff', 'monthly-showback', 'variance-alert', 'unattributed-alert'];

/**
 * The monthly kinds. Each posts a billing month once, at the cadence's first occurrence on or after
 * the day it is due (see `monthlyReviewDue`), and is quiet on every other occurrence; the agenda
 * carries a marker per posted month from run to run, so a daily cron posts once a month.
 * The pre-close handoff posts `buildHandoff` (the open month, on its handoff date); the showback
 * posts the closed month's showback, each owner's channel its cost centers' rows.
 */
async function produceMonthlyRun(
  store: Store,
  settings: ReviewSettings,
  cadence: Cadence,
  kind: MonthlyReviewKind,
  at: Date,
  previous: { readonly agenda: readonly AgendaItem[] },
  routes: readonly RoutedChannel[],
  invalidChannels: string[],
  force: boolean,
): Promise<ProducedRun> {
  const asOf = wallClock(at, settings.timezone).date;
  const due = monthlyReviewDue(kind, asOf, settings.businessDays);
  const period = parseBillingMonth(due.period);
  const required = parseSharedFields(settings.requiredFields);
  const totals = await periodTotals(store.db, period, required, cadence.costCenters);
  const facts: RunFacts = {
    period: due.period,
    asOf,
    headline: totals.map((t) => ({ currency: t.currency, effective: new Money(t.effective).toFixed(), billed: new Money(t.billed).toFixed(), lines: t.lines })),
    demo: totals.some((t) => t.demo),
  };
  // Markers of months already posted travel with every run, so the month is posted once.
  const carried = previous.agenda.filter((a) => a.subjectType === 'period' && (a.section === 'handoff' || a.section === 'showback'));
  const muted = await mutedChannels(store.db, kind, at);
  const quiet = (quietReason: string): ProducedRun => ({ facts, overview: null, messages: [], agenda: carried, quiet: true, quietReason, invalidChannels });
  if (!due.due) return quiet(`${kind} of ${due.period} is due on ${due.dueOn}: no message before then`);
  if (!force && monthlyReviewPosted(kind, previous.agenda, due.period)) return quiet(`${kind} of ${due.period} was already posted: no message`);

  const inScope = (scope: readonly string[]) => (cc: string) => (scope.length === 0 ? cadence.costCenters.length === 0 || cadence.costCenters.includes(cc) : scope.includes(cc));
  let messageFor: (scope: readonly string[]) => Message;
  let summary: string;
  if (kind === 'pre-close-handoff') {
    const handoff = await buildHandoff(store, {
      period,
      asOf,
      windowDays: settings.windowDays,
      businessDays: settings.businessDays,
      materiality: settings.materiality,
      drivers: 3,
      rollup: true,
      unattributedCostCenter: settings.unattributedCostCenter ?? null,
    });
    // Every row, the unattributed (bridge) row included, so the table sums to the month's spend.
    const rows: HandoffMessageRow[] = handoff.rows.map((r) => ({
      costCenter: r.costCenter,
      currency: r.currency,
      monthToDate: r.monthToDate,
      projected: r.projectedWithPlannedActions,
      budget: r.budget,
      itfmForecast: r.itfmForecast,
      differenceToBudget: r.differenceToBudget,
      differenceToForecast: r.differenceToForecast,
      material: r.material,
      depth: r.depth,
      parent: r.parent,
      children: r.children,
      includesUnattributed: r.includesUnattributed,
      carriedBy: r.carriedBy,
    }));
    const inHandoffScope = (scope: readonly string[]) => (r: HandoffMessageRow) => (r.costCenter === unattributedScope ? scope.length === 0 && cadence.costCenters.length === 0 : inScope(scope)(r.costCenter));
    messageFor = (scope) => {
      const mine = rows.filter(inHandoffScope(scope));
      const listed = new Set(mine.map((r) => r.costCenter));
      // A row whose parent is not in this channel's rows is top level here.
      const shown = worstFirst(mine.map((r) => (r.parent && listed.has(r.parent) ? r : { ...r, parent: null, depth: 0 })).map((r) => ({ ...r, name: null }))).map(({ name: _n, ...r }) => r);
      return preCloseHandoffMessage({
        period: due.period,
        asOf: handoff.asOf,
        handoffDate: handoff.handoffDate,
        assumptions: handoff.assumptions.statements,
        rows: shown,
        scope,
        demo: facts.demo,
        close: handoff.closed?.statement ?? handoff.lastClose,
        unattributedCarriedBy: handoff.unattributedCarriedBy,
      });
    };
    summary = `pre-close handoff of ${due.period} posted (due ${handoff.handoffDate})`;
  } else {
    const [effective, billed] = await Promise.all([
      showback(store, { period, basis: 'effective', sharedPoolsFile: settings.sharedPoolsFile }),
      showback(store, { period, basis: 'billed', sharedPoolsFile: settings.sharedPoolsFile }),
    ]);
    const billedTotals = new Map(billed.currencies.flatMap((c) => c.rows.map((r) => [`${c.currency}|${r.costCenter}`, r.total] as const)));
    const rows: ShowbackMessageRow[] = effective.currencies
      .flatMap((c) =>
        c.rows.map((r) => ({
          costCenter: r.costCenter,
          name: effective.names.get(r.costCenter) ?? null,
          currency: c.currency,
          directEffective: r.direct,
          allocatedEffective: r.allocated,
          totalEffective: r.total,
          totalBilled: billedTotals.get(`${c.currency}|${r.costCenter}`) ?? '0',
        })),
      )
      .sort((a, b) => new Money(b.totalEffective).cmp(a.totalEffective) || a.costCenter.localeCompare(b.costCenter));
    const unattributed = effective.currencies.map((c) => ({ currency: c.currency, effective: c.unattributed, billed: billed.currencies.find((b) => b.currency === c.currency)?.unattributed ?? '0' }));
    messageFor = (scope) =>
      monthlyShowbackMessage({ period: due.period, rows: rows.filter((r) => inScope(scope)(r.costCenter)), unattributed: scope.length === 0 && cadence.costCenters.length === 0 ? unattributed : null, scope, poolsFile: effective.poolsFile, demo: facts.demo, close: effective.closed?.statement ?? null });
    summary = `showback of ${due.period} posted`;
  }
  const overview = messageFor([]);
  const messages: ProducedMessage[] = routes.map((route) => (muted.has(route.channel) ? { route, message: null, muted: true } : { route, message: messageFor(route.scope), muted: false }));
  const agenda = [...carried.filter((a) => !(a.subjectId === due.period && a.section === (kind === 'pre-close-handoff' ? 'handoff' : 'showback'))), monthlyReviewMarker(kind, due.period, summary)];
  return { facts, overview, messages, agenda, quiet: false, invalidChannels };
}
