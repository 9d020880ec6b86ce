import { ActivityTypes, TeamsInfo, TurnContext } from 'botbuilder';
import { z } from 'zod';
import { identifyChatUser } from '../../app/identify-chat-user.js';
import { queueChatMessage } from '../../app/queue-chat-message.js';
import { rememberTeamsConversation, type TeamsConversationReference } from '../../app/remember-teams-conversation.js';
import { claimInboundRequest } from '../../store/chat-inbound.js';
import { runChatAction } from '../../server/actions/run-action.js';
import { submitChatForm } from '../../server/forms/submit-form.js';
import { dispatchCommandAnswer } from '../../server/commands/dispatch-command.js';
import type { ChatRequest } from '../../server/chat-request.js';
import { showHome } from '../../server/home/publish-home.js';
import { note } from '../../server/commands/note.js';
import { homePurpose } from '../../store/chat-homes.js';
import type { Message } from '../../messages/message-model.js';
import { adaptiveCardContentType, renderTeamsCard, renderTeamsForm, type AdaptiveCard } from './render.js';
import { context as contextBlock, header, message } from '../../messages/message-blocks.js';
import type { Form } from '../../messages/form-model.js';
import type { ChatForm } from '../../server/forms/chat-form.js';
import { checkDecisionListClick, decisionListPageActionId } from '../../app/decision-list.js';
import { reviewSettings } from '../../app/review-settings.js';
import type { TeamsDeps } from './teams-deps.js';
import { activityTenant, activityTenants, tenantRefusal } from './tenant-gate.js';

const cardAction = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(255),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/**
 * The bot's turn logic: an activity from a tenant that is not allowed is refused (logged; an invoke
 * answered 403) before anything is stored; every other activity refreshes the stored conversation
 * reference (install, messages, card actions) so later posts can reach it; the bot installed in a
 * person's personal scope posts their home card; a message runs a command and queues the reply
 * (`home` in the personal chat becomes the person's home card, updated after each decision); an `adaptiveCard/action` invoke runs the neutral action or form and answers
 * the invoke; `task/fetch` / `task/submit` invokes drive the View all dialog (task module).
 */
export function teamsTurnHandler(deps: TeamsDeps): (context: TurnContext) => Promise<void> {
  return async (context) => {
    const a = context.activity;
    const refused = tenantRefusal(a, deps.config.chat.teams?.allowedTenantIds);
    if (refused) {
      deps.log.warn({ reason: refused, tenants: activityTenants(a), activityType: a.type, from: a.from?.aadObjectId ?? a.from?.id }, 'teams activity refused: not from an allowed tenant');
      if (a.type === ActivityTypes.Invoke) await invokeError(context, 403, 'Forbidden', 'This organization is not allowed to use this costbridge bot.');
      return;
    }
    if (a.conversation?.id && a.serviceUrl) {
      const removed = a.type === ActivityTypes.InstallationUpdate && /^remove/.test(a.action ?? '');
      await rememberTeamsConversation(deps.store, {
        reference: TurnContext.getConversationReference(a) as unknown as TeamsConversationReference,
        teamId: (a.channelData as { team?: { id?: string } } | undefined)?.team?.id,
        installed: !removed,
      });
    }
    if (a.type === ActivityTypes.Message) return onMessage(context, deps);
    if (a.type === ActivityTypes.ConversationUpdate) return onConversationUpdate(context, deps);
    if (a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action') return onCardAction(context, deps);
    if (a.type === ActivityTypes.Invoke && a.name === 'application/search') return onSearch(context, deps);
    if (a.type === ActivityTypes.Invoke && a.name === 'task/fetch') return onTaskFetch(context, deps);
    if (a.type === ActivityTypes.Invoke && a.name === 'task/submit') return onTaskSubmit(context, deps);
  };
}

async function teamsRequest(context: TurnContext, deps: TeamsDeps): Promise<ChatRequest> {
  const from = context.activity.from;
  const userId = from.aadObjectId ?? from.id;
  const tenant = activityTenant(context.activity);
  const person = await identifyChatUser(deps.store, {
    surface: 'teams',
    userId,
    workspace: tenant,
    email: async () => {
      try {
        const member = await TeamsInfo.getMember(context, from.id);
        return member.email ?? member.userPrincipalName ?? undefined;
      } catch (e) {
        deps.log.debug({ error: (e as Error).message }, 'Teams member lookup failed; matching the user by id only');
        return undefined;
      }
    },
  }, (note, detail) => deps.log.info({ userId, tenant, note, ...detail }, 'teams user identified by email'));
  return {
    store: deps.store,
    config: deps.config,
    log: deps.log,
    requester: { surface: 'teams', userId, displayName: from.name, person },
    requestKey: context.activity.id ?? `${context.activity.conversation.id}:${Date.now()}`,
    now: deps.now(),
  };
}

async function onMessage(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const a = context.activity;
  if (a.id && !(await claimInboundRequest(deps.store.db, { platform: 'teams', key: `activity:${a.id}`, kind: 'message' }))) {
    deps.log.info({ activityId: a.id }, 'teams activity already processed; skipped');
    return;
  }
  const text = (TurnContext.removeRecipientMention(a) ?? a.text ?? '').trim();
  const request = { ...(await teamsRequest(context, deps)), channel: a.conversation.id };
  const answer = await dispatchCommandAnswer(deps.commands, text, request);
  if (answer.home && answer.reply) {
    // A person's decisions are theirs: the home card goes only to the personal chat, where it stays their home.
    const personal = a.conversation.conversationType === 'personal';
    const payload = personal ? answer.reply : note('Your open decisions are in your personal chat with costbridge: open it and send home.');
    const purpose = personal ? homePurpose(request.requester.userId, request.requestKey) : `command-reply:${request.requestKey}`;
    await queueChatMessage(deps.store, { platform: 'teams', operation: 'post', purpose, target: a.conversation.id, ...(personal || !a.id ? {} : { replyTo: a.id }), payload });
    deps.nudgeOutbox();
    return;
  }
  // Teams replies are seen by the whole conversation, so channel posts and the reply go out alike.
  const messages = [...answer.posts.map((payload, i) => ({ purpose: `command-post:${request.requestKey}:${i}`, payload }))];
  if (answer.reply) messages.push({ purpose: `command-reply:${request.requestKey}`, payload: answer.reply });
  for (const m of messages) {
    await queueChatMessage(deps.store, { platform: 'teams', operation: 'post', purpose: m.purpose, target: a.conversation.id, ...(a.id ? { replyTo: a.id } : {}), payload: m.payload });
  }
  deps.nudgeOutbox();
}

/**
 * The bot added to a person's personal scope (installed for them): their home card is posted there
 * at once, as `home` would. Other members added (to a team or group chat) need nothing.
 */
async function onConversationUpdate(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const a = context.activity;
  const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
  if (!botAdded || a.conversation?.conversationType !== 'personal' || !a.from?.id) return;
  if (a.id && !(await claimInboundRequest(deps.store.db, { platform: 'teams', key: `activity:${a.id}`, kind: 'conversationUpdate' }))) return;
  const request = await teamsRequest(context, deps);
  await showHome(request, { platform: 'teams', target: a.conversation.id, fresh: true });
  deps.nudgeOutbox();
}

async function onCardAction(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const parsed = cardAction.safeParse(context.activity.value);
  if (!parsed.success) return invokeError(context, 400, 'BadRequest', 'not an Action.Execute card action');
  const { verb, data = {} } = parsed.data.action;
  const request = await teamsRequest(context, deps);
  const action = deps.actions.find((x) => x.actionId === verb);
  // A list card answered in place by a View all button of a card posted before the dialog existed:
  // its buttons carry the list's session id and are checked like the dialog's.
  if (typeof data[listSessionKey] === 'string' || verb === decisionListPageActionId) {
    const r = await listClick(deps, request, verb, stringEntries(data));
    if (r.kind === 'refused') return invokeError(context, 403, 'Forbidden', r.message);
    if (r.kind === 'page') return invokeCard(context, listCard(r.page, r.sessionId));
    if (r.kind === 'form') return invokeCard(context, renderTeamsForm(r.form));
    return invokeMessage(context, r.reply);
  }
  if (action) {
    const replyToId = context.activity.replyToId;
    if (!replyToId) return invokeError(context, 400, 'BadRequest', 'the card action carries no message id');
    const outcome = await runChatAction(action, stringEntries(data), { ...request, clicked: { target: context.activity.conversation.id, messageId: replyToId } });
    deps.nudgeOutbox();
    if (outcome.openForm) return invokeCard(context, renderTeamsForm(outcome.openForm));
    if (outcome.openList?.sessionId) return invokeCard(context, listCard(outcome.openList.page, outcome.openList.sessionId));
    return invokeMessage(context, outcome.reply);
  }
  const form = deps.forms.find((f) => f.callbackId === verb);
  if (form) {
    const submitted = await submitForm(deps, request, form, data);
    if (submitted.errors) return invokeError(context, 400, 'BadRequest', submitted.errors);
    return invokeMessage(context, submitted.reply);
  }
  deps.log.warn({ verb }, 'no handler for this Teams card action');
  return invokeError(context, 400, 'BadRequest', `unknown action ${verb}`);
}

/** The string entries of an untrusted data object (the neutral payload is strings only). */
function stringEntries(data: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A form's submission from a card's data: input values by id, the form session id as `metadata`; validated, then run. */
async function submitForm(deps: TeamsDeps, request: ChatRequest, form: ChatForm, data: Readonly<Record<string, unknown>>): Promise<{ errors?: string; reply?: Message }> {
  const values = Object.fromEntries(
    Object.entries(data)
      .filter(([k]) => k !== 'metadata' && k !== 'verb' && k !== 'msteams')
      .map(([k, v]) => [k, typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined]),
  );
  const submission = { values, privateMetadata: typeof data.metadata === 'string' ? data.metadata : '' };
  const errors = form.validate(submission);
  if (errors) return { errors: Object.entries(errors).map(([k, v]) => `${k}: ${v}`).join('; ') };
  const outcome = await submitChatForm(form, submission, request);
  // Teams shows the reply as this invoke's answer, sent when the turn ends: the home is refreshed first.
  await outcome.afterReply?.();
  deps.nudgeOutbox();
  return { reply: outcome.reply };
}

/** What a click inside a View all list did. */
type ListClickResult =
  | { readonly kind: 'refused'; readonly message: string }
  | { readonly kind: 'page'; readonly title: string; readonly page: Message; readonly sessionId: string }
  | { readonly kind: 'form'; readonly form: Form }
  | { readonly kind: 'reply'; readonly reply: Message | undefined };

/**
 * A click inside a View all list (paging or an item's button; the payload carries the list's
 * session id): re-checked against the stored session and the list as the server builds it now
 * (`checkDecisionListClick`, refusals audited), then an item's button runs exactly as from the digest.
 */
async function listClick(deps: TeamsDeps, request: ChatRequest, verb: string, data: Readonly<Record<string, string>>): Promise<ListClickResult> {
  const payload = Object.fromEntries(Object.entries(data).filter(([k]) => k !== listSessionKey));
  const checked = await checkDecisionListClick(deps.store, reviewSettings(deps.config), {
    sessionId: data[listSessionKey] ?? '',
    platform: 'teams',
    platformUserId: request.requester.userId,
    actor: request.requester.person?.id ?? `teams:${request.requester.userId}`,
    actionId: verb,
    payload,
    now: request.now,
  });
  if (!checked.ok) return { kind: 'refused', message: checked.message };
  if (checked.kind === 'page') return { kind: 'page', title: checked.page.title, page: checked.page.message, sessionId: checked.session.id };
  const action = deps.actions.find((x) => x.actionId === verb);
  if (!action) return { kind: 'refused', message: `unknown action ${verb}` };
  const outcome = await runChatAction(action, payload, { ...request, clicked: checked.session.origin }, { checkedOnList: true });
  deps.nudgeOutbox();
  if (outcome.openForm) return { kind: 'form', form: outcome.openForm };
  return { kind: 'reply', reply: outcome.reply };
}

// The dialog (task module) protocol: an Action.Submit carrying `msteams: { type: 'task/fetch' }`
// makes Teams send `task/fetch` and show the card the bot answers with; Action.Submit buttons inside
// the dialog send `task/submit`, answered with the next card (`continue`) or a closing text (`message`).
const taskData = z.object({
  data: z.object({
    verb: z.string().min(1).max(255),
    payload: z.record(z.string(), z.unknown()).optional(),
  }).passthrough(),
});

function taskContinue(context: TurnContext, title: string, card: AdaptiveCard): Promise<void> {
  return invokeResponse(context, { task: { type: 'continue', value: { title, width: 'large', height: 'large', card: { contentType: adaptiveCardContentType, content: card } } } });
}

function taskMessage(context: TurnContext, text: string): Promise<void> {
  return invokeResponse(context, { task: { type: 'message', value: text } });
}

function taskRefused(context: TurnContext, why: string): Promise<void> {
  return taskContinue(context, 'Not done', renderTeamsCard(message(why, [header('Not done'), contextBlock(why)]), { dialog: true }));
}

/**
 * `task/fetch` from the digest's View all button: the button must be on the digest message it was
 * clicked on, as any button; the list session is opened for this person and its first page is the dialog.
 */
async function onTaskFetch(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const parsed = taskData.safeParse(context.activity.value);
  if (!parsed.success) return taskRefused(context, 'This button does not say what to open.');
  const { verb, payload = {} } = parsed.data.data;
  const action = deps.actions.find((x) => x.actionId === verb);
  if (!action) return taskRefused(context, `Unknown action ${verb}.`);
  const replyToId = context.activity.replyToId;
  if (!replyToId) return taskRefused(context, 'The click carries no message id, so costbridge cannot check the button.');
  const request = await teamsRequest(context, deps);
  const outcome = await runChatAction(action, stringEntries(payload), { ...request, clicked: { target: context.activity.conversation.id, messageId: replyToId } });
  deps.nudgeOutbox();
  if (outcome.openList?.sessionId) return taskContinue(context, outcome.openList.title, listCard(outcome.openList.page, outcome.openList.sessionId, true));
  if (outcome.openForm) return taskContinue(context, outcome.openForm.title, renderTeamsForm(outcome.openForm, { dialog: true }));
  return taskMessage(context, outcome.reply?.fallback ?? 'Done.');
}

/**
 * `task/submit` from inside the dialog: paging and the items' buttons (their payload carries the
 * list's session id) go through `listClick`; a form opened in the dialog is submitted by its callback id.
 */
async function onTaskSubmit(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const parsed = taskData.safeParse(context.activity.value);
  if (!parsed.success) return taskRefused(context, 'This button does not say what to do.');
  const data = parsed.data.data;
  const request = await teamsRequest(context, deps);
  const form = deps.forms.find((f) => f.callbackId === data.verb);
  if (form) {
    const submitted = await submitForm(deps, request, form, data);
    if (submitted.errors) return taskRefused(context, submitted.errors);
    return taskMessage(context, submitted.reply?.fallback ?? 'Done.');
  }
  const r = await listClick(deps, request, data.verb, stringEntries(data.payload ?? {}));
  if (r.kind === 'refused') return taskRefused(context, r.message);
  if (r.kind === 'page') return taskContinue(context, r.title, listCard(r.page, r.sessionId, true));
  if (r.kind === 'form') return taskContinue(context, r.form.title, renderTeamsForm(r.form, { dialog: true }));
  return taskMessage(context, r.reply?.fallback ?? 'Done.');
}

const searchQuery = z.object({
  queryText: z.string().max(200).default(''),
  dataset: z.string().min(1).max(255),
  queryOptions: z.object({ skip: z.number().int().min(0).max(10_000).default(0), top: z.number().int().min(1).max(100).default(15) }).partial().optional(),
});

/**
 * A typeahead search of an Adaptive Card input (`Data.Query` → `application/search` invoke): the
 * neutral options source named by the dataset answers as the user types, only for people costbridge
 * knows (anyone else gets no results: master data is not public), paged by `skip` / `top`.
 */
async function onSearch(context: TurnContext, deps: TeamsDeps): Promise<void> {
  const parsed = searchQuery.safeParse(context.activity.value);
  if (!parsed.success) return invokeError(context, 400, 'BadRequest', 'not an application/search query');
  const { queryText, dataset, queryOptions } = parsed.data;
  const source = deps.optionsSources.find((s) => s.id === dataset);
  if (!source) return invokeError(context, 400, 'BadRequest', `unknown dataset ${dataset}`);
  const request = await teamsRequest(context, deps);
  const results: { title: string; value: string }[] = [];
  if (request.requester.person) {
    const skip = queryOptions?.skip ?? 0;
    const top = queryOptions?.top ?? 15;
    const found = await source.search(queryText, request);
    for (const o of found.slice(skip, skip + top)) results.push({ title: o.label, value: o.value });
  } else {
    deps.log.info({ userId: request.requester.userId, dataset }, 'teams search refused: not a known person');
  }
  await invokeResponse(context, { type: 'application/vnd.microsoft.search.searchResponse', value: { results } });
}

async function invokeResponse(context: TurnContext, body: unknown): Promise<void> {
  await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body } });
}

function invokeMessage(context: TurnContext, message: Message | undefined): Promise<void> {
  return invokeResponse(context, { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: message?.fallback ?? 'Done.' });
}

function invokeCard(context: TurnContext, card: unknown): Promise<void> {
  return invokeResponse(context, { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card });
}

/** Universal Actions error response (`application/vnd.microsoft.error`); exported for the adapter's error handler. */
export function invokeError(context: TurnContext, statusCode: number, code: string, message: string): Promise<void> {
  return invokeResponse(context, { statusCode, type: 'application/vnd.microsoft.error', value: { code, message } });
}

/** The data field a View all list card's buttons carry the list's session id in. */
const listSessionKey = 'listSession';

/**
 * One page of a View all list as a card (in the dialog, or in place for a card posted before the
 * dialog existed): every button, paging and items alike, carries the list's session id, so a click is
 * checked against the stored list rather than against the digest message.
 */
function listCard(page: Message, sessionId: string, dialog = false): AdaptiveCard {
  const tag = (b: Message['blocks'][number]): Message['blocks'][number] =>
    b.kind === 'actions'
      ? { ...b, buttons: b.buttons.map((x) => ({ ...x, payload: { ...x.payload, [listSessionKey]: sessionId } })) }
      : b.kind === 'list'
        ? { ...b, items: b.items.map((item) => item.map((c) => tag(c) as (typeof item)[number])) }
        : b;
  return renderTeamsCard({ ...page, blocks: page.blocks.map(tag) }, { dialog });
}
