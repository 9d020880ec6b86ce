import { TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { DeliveryOutcome, DeliveryRecorder, DeliveryTransport } from '../../app/deliver-pending.js';
import { cardPartKey, type ClaimedDelivery, type OutboxPayloadExtras } from '../../store/chat-outbox.js';
import type { Message } from '../../messages/message-model.js';
import { teamsLimits, utf16Bytes } from './limits.js';
import { adaptiveCardContentType, renderTeamsCard, renderTeamsCards, type TeamsImageSource } from './render.js';
import { messageActivity } from './teams-activity.js';

/** Finds the stored conversation reference of a Teams conversation id. */
export type ConversationReferenceLookup = (conversationId: string) => Promise<Record<string, unknown> | undefined>;

/**
 * Delivers outbox rows through the Bot Connector of the conversation's stored reference: a new
 * activity (a reply when the row has one to reply to), or an update of an earlier one.
 */
export function teamsTransport(adapter: CloudAdapter, appId: string | undefined, lookup: ConversationReferenceLookup, options: TeamsTransportOptions = {}): DeliveryTransport {
  return {
    async deliver(d: ClaimedDelivery, recorder?: DeliveryRecorder): Promise<DeliveryOutcome> {
      const stored = await lookup(d.target);
      if (!stored) return { kind: 'permanent', error: `no conversation reference for ${d.target} (the bot was never installed there)` };
      const reference = stored as Partial<ConversationReference> & { conversation: { id: string } };
      const payload = d.payload as Message & OutboxPayloadExtras;
      // An update keeps the message's cards: as many as were posted (the revision is fitted into them).
      const ids = d.operation === 'update' && d.messageId ? [d.messageId, ...d.messageParts] : [];
      const activities = messageActivities(payload, { ...(ids.length > 0 ? { maxCards: ids.length } : {}), ...(options.chartUrl ? { chartUrl: options.chartUrl } : {}), outboxId: d.updateOf ?? d.id }).map(
        (a) => TurnContext.applyConversationReference(a, reference) as Partial<Activity>,
      );
      for (const a of activities) delete a.replyToId;
      const recorded = payload.uploads ?? {};
      let first: string | undefined;
      let failure: unknown;
      try {
        // The connector client is called directly: TurnContext.sendActivity inside a continued
        // conversation would reply to the synthetic continuation activity, not to `replyTo`.
        // Errors are caught inside the turn, or the adapter's turn error handler would swallow them.
        await adapter.continueConversationAsync(appId ?? '', reference, async (context) => {
          try {
            const client = context.turnState.get<ConnectorClient>(context.adapter.ConnectorClientKey);
            withoutSdkRetries(client);
            const conversationId = reference.conversation.id;
            if (d.operation === 'update') {
              if (ids.length === 0) return;
              for (const [i, id] of ids.entries()) {
                // A revision shorter than the message: the cards it no longer needs say so instead of showing stale buttons.
                const activity = activities[i] ?? TurnContext.applyConversationReference(mergedCardActivity(), reference);
                await client.conversations.updateActivity(conversationId, id, { ...activity, id });
              }
              first = ids[0];
              return;
            }
            // Each card of a long message is posted once: a retry skips the cards already recorded.
            first = recorded[cardPartKey(0)];
            for (const [i, activity] of activities.entries()) {
              if (recorded[cardPartKey(i)] !== undefined) continue;
              const sent = d.replyTo
                ? await client.conversations.replyToActivity(conversationId, d.replyTo, { ...activity, replyToId: d.replyTo })
                : await client.conversations.sendToConversation(conversationId, activity);
              if (!sent.id) throw new Error('the Bot Connector returned no activity id');
              if (activities.length > 1) await recorder?.recordUpload(cardPartKey(i), sent.id);
              if (i === 0) first = sent.id;
            }
          } catch (e) {
            failure = e;
          }
        });
      } catch (e) {
        failure ??= e;
      }
      if (failure !== undefined) return classifyConnectorError(failure);
      return first ? { kind: 'delivered', messageId: first } : { kind: 'permanent', error: 'the Bot Connector returned no activity id' };
    },
  };
}

/** Transport settings. */
export interface TeamsTransportOptions {
  /** Where an attachment of a row is served as an image (`serve`'s signed chart URL); without it charts are inlined when they fit. */
  readonly chartUrl?: (outboxId: number, attachment: string) => string | undefined;
}

/**
 * The activities of one outbox row: one message activity per card (see `renderTeamsCards`). Chart
 * images come from their signed HTTPS URL when `serve` has a public URL; otherwise a single-card
 * message inlines them as `data:` URIs when they fit (see `activityWithImages`).
 */
export function messageActivities(
  payload: Message & OutboxPayloadExtras,
  options: { maxCards?: number; chartUrl?: (outboxId: number, attachment: string) => string | undefined; outboxId?: number } = {},
): ReturnType<typeof messageActivity>[] {
  const files = payload.attachments ?? [];
  const urls: Record<string, TeamsImageSource> = {};
  if (options.chartUrl && options.outboxId !== undefined) {
    for (const a of files) {
      const url = options.chartUrl(options.outboxId, a.name);
      if (url) urls[a.name] = { url };
    }
  }
  const cards = renderTeamsCards(payload, { attachments: urls, ...(options.maxCards !== undefined ? { maxCards: options.maxCards } : {}) });
  if (cards.length === 1 && Object.keys(urls).length === 0 && files.length > 0) return [activityWithImages(payload)];
  return cards.map((card) => ({ type: 'message' as const, summary: payload.fallback.slice(0, 250), attachments: [{ contentType: adaptiveCardContentType, content: card }] }));
}

function mergedCardActivity(): Partial<Activity> {
  return messageActivity({ fallback: 'Merged into the message above.', blocks: [{ kind: 'context', text: [{ kind: 'plain', text: 'Merged into the message above.' }] }] }) as Partial<Activity>;
}

/**
 * The message activity, with each attachment inline as a `data:` URI Image when the card still fits
 * the card budget with it; otherwise the image block keeps its text rendering (the chart in words).
 * The card without images is measured first, so an image never pushes other content out.
 */
export function activityWithImages(payload: Message & OutboxPayloadExtras): ReturnType<typeof messageActivity> {
  const activity = messageActivity(payload);
  const files = payload.attachments ?? [];
  if (files.length === 0) return activity;
  const plain = utf16Bytes(activity.attachments[0]!.content);
  const inline: Record<string, TeamsImageSource> = {};
  let budget = teamsLimits.cardBytes - plain;
  for (const a of files) {
    const url = `data:${a.mediaType};base64,${a.base64}`;
    // Counted like the card budget (UTF-16 bytes), plus the Image element's other fields.
    const cost = url.length * 2 + 200;
    if (cost > budget) continue;
    inline[a.name] = { url };
    budget -= cost;
  }
  if (Object.keys(inline).length === 0) return activity;
  return { ...activity, attachments: [{ ...activity.attachments[0]!, content: renderTeamsCard(payload, { attachments: inline }) }] };
}

/**
 * Removes the Azure pipeline's retry policies (exponential, throttling, system-error) from a
 * connector client: the outbox retries durably and honours Retry-After itself, and an in-memory
 * retry would hold a worker for seconds and hide 429s from it. botbuilder drops the `retryOptions`
 * client option, hence the pipeline edit; the outbox tests fail if this stops working.
 */
function withoutSdkRetries(client: ConnectorClient): void {
  const pipeline = (client as unknown as { client?: { pipeline?: { removePolicy(filter: { phase: string }): unknown } } }).client?.pipeline;
  pipeline?.removePolicy({ phase: 'Retry' });
}

/** How the outbox treats a Bot Connector failure: 429 waits for Retry-After, 5xx and network errors retry, other 4xx fail. */
export function classifyConnectorError(e: unknown): DeliveryOutcome {
  const err = e as { statusCode?: number; message?: string; response?: { status?: number; headers?: { get?(name: string): string | undefined } | Record<string, string> } };
  const status = err.statusCode ?? err.response?.status;
  const headers = err.response?.headers;
  const retryAfter = headers && typeof (headers as { get?: unknown }).get === 'function'
    ? (headers as { get(name: string): string | undefined }).get('retry-after')
    : (headers as Record<string, string> | undefined)?.['retry-after'];
  const message = err.message ?? String(e);
  if (status === 429) {
    const seconds = Number(retryAfter);
    return { kind: 'rate-limited', retryAfterMs: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000, error: `HTTP 429 ${message}` };
  }
  if (status === undefined || status >= 500 || status === 408) return { kind: 'transient', error: status ? `HTTP ${status} ${message}` : message };
  return { kind: 'permanent', error: `HTTP ${status} ${message}` };
}
