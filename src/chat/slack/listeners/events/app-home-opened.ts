import type { App } from '@slack/bolt';
import { showHome } from '../../../../server/home/publish-home.js';
import { slackRequest, type SlackDeps } from '../../slack-deps.js';
import { requestTeamIds } from '../../workspace-gate.js';

/**
 * `app_home_opened` on the Home tab: the person's open decisions are published there (first time
 * a new home, afterwards the same home re-published), through the outbox like every message.
 */
export function register(app: App, deps: SlackDeps): void {
  app.event('app_home_opened', async ({ body, event, client }) => {
    // Already acknowledged by the once-per-request middleware; the Messages tab needs nothing.
    if (event.tab !== 'home') return;
    const key = String((body as { event_id?: string }).event_id ?? `${event.user}:${event.event_ts}`);
    const request = await slackRequest(deps, client, { id: event.user }, key, requestTeamIds(body as never)[0]);
    await showHome(request, { platform: 'slack', target: event.user, fresh: false });
    deps.nudgeOutbox();
  });
}
