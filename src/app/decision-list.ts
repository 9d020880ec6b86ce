import { recordRefusal } from './authorization-policy.js';
import { buildWeeklyDigest } from './build-weekly-digest.js';
import type { ReviewSettings } from './review-settings.js';
import { carriesButton } from '../messages/message-buttons.js';
import { actions, button, context, list, message, text } from '../messages/message-blocks.js';
import type { Message } from '../messages/message-model.js';
import { md } from '../messages/rich-text.js';
import { countOf } from '../messages/count-words.js';
import { digestEntries, openCounts, viewAllActionIds, type DigestListKind } from '../messages/views/weekly-digest.js';
import type { ChatPlatform } from '../store/chat-outbox.js';
import { findFormSession, insertFormSession, type StoredFormSession } from '../store/chat-form-sessions.js';
import type { Store } from '../store/database.js';
import { randomBytes } from 'node:crypto';

// "View all" behind a digest's short lists: the full list of one kind of open decision, paged, each
// item with the same buttons as in the digest. The list is rebuilt on the server for the digest's
// own data cut on every page and every click; the platform's dialog carries only a session id, and a
// click in it counts only when the server's list carries that very button.

/** Which list, for which digest: the kind, the billing month, the data cut and the cost centers. */
export interface DecisionListSpec {
  readonly kind: DigestListKind;
  readonly period: string;
  /** `YYYY-MM-DD`: data before this day counts (the digest's cut). */
  readonly asOf: string;
  readonly scope: readonly string[];
}

/** Entries per page of the list. */
export const decisionListPageSize = 10;
/** The paging buttons' action id (Previous / Next inside the list dialog). */
export const decisionListPageActionId = 'digest.view-all.page';
/** The session kind a View all dialog is stored under. */
export const decisionListSessionKind = 'digest.view-all';
/** How long a list dialog answers clicks. */
export const decisionListMinutes = 60;

const titles: Record<DigestListKind, string> = {
  savings: 'Savings to sign off',
  variances: 'Variances to explain',
  unattributed: 'Unattributed spend',
  'new-spend': 'New spend',
};

/** The list kind a View all button's action id opens, if it is one. */
export function listKindOf(actionId: string): DigestListKind | undefined {
  return (Object.entries(viewAllActionIds) as [DigestListKind, string][]).find(([, id]) => id === actionId)?.[0];
}

/** Reads a View all button's payload (untrusted) into a spec, or undefined when it is malformed. */
export function decisionListSpec(kind: DigestListKind, payload: Readonly<Record<string, string>>): DecisionListSpec | undefined {
  const period = payload.period ?? '';
  const asOf = payload.asOf ?? '';
  if (!/^\d{4}-\d{2}$/.test(period) || !/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return undefined;
  const scope = (payload.scope ?? '').split(',').filter((s) => s !== '');
  return { kind, period, asOf, scope };
}

/** One page of a list: a message with the page's entries and the paging buttons. */
export interface DecisionListPage {
  readonly title: string;
  readonly page: number;
  readonly pages: number;
  readonly total: number;
  readonly message: Message;
  /** Every entry of the list (all pages), to check a click against. */
  readonly all: Message;
}

/** Builds page `page` (1-based, clamped) of a list for its digest's data cut. */
export async function decisionListPage(store: Store, settings: ReviewSettings, spec: DecisionListSpec, page: number, now: Date): Promise<DecisionListPage> {
  const d = await buildWeeklyDigest(store, {
    cadence: 'view-all',
    at: now,
    asOf: spec.asOf,
    generatedAt: now,
    timezone: settings.timezone,
    scope: spec.scope,
    previousReviewAt: null,
    requiredFields: settings.requiredFields,
    governedCategories: settings.governedCategories,
    windowDays: settings.windowDays,
    businessDays: settings.businessDays,
    materiality: settings.materiality,
    unattributedThresholds: { minAmount: settings.unattributedMinAmount, minShare: settings.unattributedMinShare },
    topItems: 100_000,
  });
  const entries = digestEntries(d, spec.kind);
  const total = openCounts(d)[spec.kind];
  const pages = Math.max(1, Math.ceil(entries.length / decisionListPageSize));
  const p = Math.min(Math.max(1, Math.trunc(page)), pages);
  const shown = entries.slice((p - 1) * decisionListPageSize, p * decisionListPageSize);
  const paging = [
    ...(p > 1 ? [button(decisionListPageActionId, 'Previous', { page: String(p - 1) })] : []),
    ...(p < pages ? [button(decisionListPageActionId, 'Next', { page: String(p + 1) }, { style: 'primary' })] : []),
  ];
  const what: Record<DigestListKind, [string, string]> = {
    savings: ['saving awaits sign-off', 'savings await sign-off'],
    variances: ['material variance waits for an explanation', 'material variances wait for an explanation'],
    unattributed: ['open item above the alert threshold', 'open items above the alert threshold'],
    'new-spend': ['vendor without a contract classification', 'vendors without a contract classification'],
  };
  const scope = spec.scope.length > 0 ? ` · ${spec.scope.join(', ')}` : '';
  const blocks = [
    text(md`*${countOf(total, ...what[spec.kind])}*`, ` · ${spec.period}${scope}, data through ${d.dataThrough}`),
    ...(shown.length > 0 ? [list(shown)] : [context('Nothing is open any more.')]),
    context(`Page ${p} of ${pages} · entries ${shown.length === 0 ? 0 : (p - 1) * decisionListPageSize + 1}–${(p - 1) * decisionListPageSize + shown.length} of ${entries.length}`),
    ...(paging.length > 0 ? [actions(...paging)] : []),
  ];
  return {
    title: titles[spec.kind],
    page: p,
    pages,
    total,
    message: message(`${titles[spec.kind]}: page ${p} of ${pages}`, blocks),
    all: message(titles[spec.kind], [list(entries)]),
  };
}

/** Stores the dialog of a list opened from a digest message for one person; its id is all the dialog carries. */
export async function openDecisionListSession(
  store: Store,
  s: { spec: DecisionListSpec; platform: ChatPlatform; origin: StoredFormSession['origin']; personId: string; platformUserId: string; now: Date },
): Promise<string> {
  const id = `vl_${randomBytes(18).toString('base64url')}`;
  await insertFormSession(store.db, {
    id,
    kind: decisionListSessionKind,
    platform: s.platform,
    subject: { kind: s.spec.kind, period: s.spec.period, asOf: s.spec.asOf, scope: s.spec.scope.join(',') },
    subjectVersion: null,
    origin: s.origin,
    personId: s.personId,
    platformUserId: s.platformUserId,
    openedAt: s.now,
    expiresAt: new Date(s.now.getTime() + decisionListMinutes * 60_000),
  });
  return id;
}

/** A click inside a list dialog, as the platform reported it. */
export interface DecisionListClick {
  readonly sessionId: string;
  readonly platform: ChatPlatform;
  readonly platformUserId: string;
  /** Who it is, for the audit row of a refusal. */
  readonly actor: string;
  readonly actionId: string;
  readonly payload: Readonly<Record<string, string>>;
  readonly now: Date;
}

/** What a click inside a list dialog may do: turn the page, or run an item's button on behalf of the digest message it came from. */
export type CheckedListClick =
  | { readonly ok: true; readonly kind: 'page'; readonly session: StoredFormSession; readonly spec: DecisionListSpec; readonly page: DecisionListPage }
  | { readonly ok: true; readonly kind: 'item'; readonly session: StoredFormSession; readonly spec: DecisionListSpec }
  | { readonly ok: false; readonly message: string };

/**
 * Re-checks a click inside a list dialog against what the server stored and computes: the session
 * must be ours, of this platform, opened for this user and not expired; a page must exist; an
 * item's button must be on the list as the server builds it now (same action and ids). Anything
 * else is refused with an audit row, and nothing runs.
 */
export async function checkDecisionListClick(store: Store, settings: ReviewSettings, c: DecisionListClick): Promise<CheckedListClick> {
  const session = /^vl_[A-Za-z0-9_-]{10,64}$/.test(c.sessionId) ? await findFormSession(store.db, c.sessionId) : undefined;
  const refuse = async (reason: string, message: string): Promise<CheckedListClick> => {
    await recordRefusal(store.db, {
      actor: c.actor,
      surface: c.platform,
      action: 'chat.list-click',
      subjectType: 'form',
      subjectId: session?.id ?? (c.sessionId.slice(0, 100) || '(none)'),
      reason,
      attempt: { actionId: c.actionId, payload: c.payload },
    });
    return { ok: false, message };
  };
  if (!session || session.kind !== decisionListSessionKind || session.platform !== c.platform) {
    return refuse('no View all dialog of costbridge has this id', 'This list was not opened by costbridge: click View all on the digest again.');
  }
  if (session.platformUserId !== c.platformUserId) return refuse(`the list was opened for ${session.personId}`, 'This list was opened for someone else: click View all on the digest yourself.');
  if (session.expiresAt <= c.now) return { ok: false, message: `This list expired (lists stay open ${decisionListMinutes} minutes): click View all on the digest again.` };
  const kind = session.subject.kind as DigestListKind;
  const spec = decisionListSpec(kind, session.subject);
  if (!spec || !Object.keys(viewAllActionIds).includes(kind)) return refuse('the stored list is malformed', 'This list cannot be shown any more: click View all on the digest again.');
  if (c.actionId === decisionListPageActionId) {
    const n = /^\d{1,6}$/.test(c.payload.page ?? '') ? Number(c.payload.page) : NaN;
    const page = await decisionListPage(store, settings, spec, Number.isNaN(n) ? 1 : n, c.now);
    if (Number.isNaN(n) || n < 1 || n > page.pages) return refuse(`page ${JSON.stringify(c.payload.page)} does not exist`, 'That page does not exist.');
    return { ok: true, kind: 'page', session, spec, page };
  }
  const page = await decisionListPage(store, settings, spec, 1, c.now);
  if (!carriesButton(page.all, c.actionId, c.payload)) {
    return refuse(`the button ${c.actionId} ${JSON.stringify(c.payload)} is not on the list`, 'This button is not on the list costbridge shows (the item may be decided already), so nothing was done.');
  }
  return { ok: true, kind: 'item', session, spec };
}
