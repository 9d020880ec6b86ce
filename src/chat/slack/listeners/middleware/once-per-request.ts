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

/**
 * Acknowledges commands, button clicks and events at once, then processes each Slack request once:
 * its trigger_id / event_id is recorded before any listener runs, and a retry (X-Slack-Retry-Num) or
 * replay of it is dropped. Each request's processing is counted for graceful shutdown.
 */
export function register(app: App, deps: SlackDeps): void {
  app.use((args) =>
    deps.track(async () => {
      const body = args.body as unknown as Record<string, unknown>;
      const request = slackRequestKey(body);
      if (request && acknowledgedHere.has(request.kind) && 'ack' in args && typeof args.ack === 'function') {
        await (args.ack as () => Promise<void>)();
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
