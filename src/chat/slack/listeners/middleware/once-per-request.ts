import type { App } from '@slack/bolt';
import { claimInboundRequest } from '../../../../store/chat-inbound.js';
import type { SlackDeps } from '../../slack-deps.js';

/** The id Slack gives one user action or event, the same on every retry of it. */
export function slackRequestKey(body: Record<string, unknown>): { key: string; kind: string } | undefined {
  const type = typeof body.type === 'string' ? body.type : body.command ? 'slash_command' : 'unknown';
  if (typeof body.event_id === 'string') return { key: `event:${body.event_id}`, kind: type };
  // Searchable-select lookups are reads, asked again on every keystroke: never deduplicated.
  if (type === 'block_suggestion') return undefined;
  if (typeof body.trigger_id === 'string') return { key: `trigger:${body.trigger_id}`, kind: type };
  return undefined;
}

// Requests answered with an empty 200 whatever their listener does: acknowledged here, before any
// database work, so Slack's 3-second limit never depends on the database. Their listeners do not
// call ack(). Modal submissions and option lookups answer with content, so their listeners ack.
const acknowledgedHere = new Set(['slash_command', 'block_actions', 'event_callback']);

const claimKey = 'costbridgeClaimRequest';

/**
 * Claims a modal submission for processing once (after its listener acknowledged it): false for a
 * retry or replay of one already claimed, which must then do nothing more.
 */
export function claimSubmissionOnce(context: Record<string, unknown>): Promise<boolean> {
  const claim = context[claimKey] as (() => Promise<boolean>) | undefined;
  // Without a key (no trigger_id) there is nothing to deduplicate on, as for any other request.
  return claim ? claim() : Promise.resolve(true);
}

/**
 * Acknowledges commands, button clicks and events at once, then processes each Slack request once:
 * its trigger_id / event_id is recorded before any listener runs (a modal submission's right after its
 * listener acknowledged it, see `claimSubmissionOnce`), and a retry (X-Slack-Retry-Num) or
 * replay of it is dropped. Each request's processing is counted for graceful shutdown.
 */
export function register(app: App, deps: SlackDeps): void {
  app.use((args) =>
    deps.track(async () => {
      const body = args.body as unknown as Record<string, unknown>;
      const request = slackRequestKey(body);
      if (request && acknowledgedHere.has(request.kind) && 'ack' in args && typeof args.ack === 'function') {
        await (args.ack as () => Promise<void>)();
        await deps.acksFirst?.();
      }
      if (request && request.kind === 'view_submission') {
        // Its answer (validation errors, or none) needs no database: the listener acknowledges first
        // and then claims the request through this, so a busy pool never delays the acknowledgement.
        (args.context as Record<string, unknown>)[claimKey] = async (): Promise<boolean> => {
          await deps.acksFirst?.();
          if (await claimInboundRequest(deps.store.db, { platform: 'slack', key: request.key, kind: request.kind })) return true;
          deps.log.info({ requestKey: request.key, kind: request.kind, retryNum: args.context.retryNum }, 'slack request already processed; skipped');
          return false;
        };
        await args.next();
        return;
      }
      if (request && !(await claimInboundRequest(deps.store.db, { platform: 'slack', key: request.key, kind: request.kind }))) {
        deps.log.info({ requestKey: request.key, kind: request.kind, retryNum: args.context.retryNum }, 'slack request already processed; skipped');
        if (!acknowledgedHere.has(request.kind) && 'ack' in args && typeof args.ack === 'function') await (args.ack as () => Promise<void>)();
        return;
      }
      await args.next();
    }),
  );
}
