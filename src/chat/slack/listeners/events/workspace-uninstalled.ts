import type { App } from '@slack/bolt';
import { recordWorkspaceUninstalled } from '../../../../app/chat-workspace-uninstalled.js';
import type { SlackDeps } from '../../slack-deps.js';

/** The events costbridge subscribes to (the manifests' `bot_events` must list exactly these). */
export const workspaceEvents = ['app_uninstalled', 'tokens_revoked'] as const;

/**
 * `app_uninstalled` and `tokens_revoked` (when the bot's own token is among those revoked): the
 * workspace removed costbridge. Its undelivered messages are parked and nothing more is sent to it;
 * Slack sends both events on an uninstall, and the log says so once. Deliveries resume when an
 * `auth.test` for the workspace succeeds again (after reinstalling, with the new token, on restart).
 */
export function register(app: App, deps: SlackDeps): void {
  for (const event of workspaceEvents) {
    app.event(event, async ({ body, event: e }) => {
      // Already acknowledged by the once-per-request middleware.
      const identity = deps.slackStatus?.workspace;
      if (e.type === 'tokens_revoked') {
        const bots = (e as { tokens?: { bot?: string[] } }).tokens?.bot ?? [];
        // Only the user tokens of people were revoked: the bot still works.
        if (bots.length === 0 || (identity && !bots.includes(identity.botUserId))) return;
      }
      const workspace = String((body as { team_id?: string }).team_id ?? identity?.teamId ?? '');
      if (!workspace) throw new Error(`${event} without a team_id`);
      const r = await recordWorkspaceUninstalled(deps.store, { platform: 'slack', workspace, event, now: deps.now() });
      if (!r.changed) {
        deps.log.debug({ team: workspace, event, parked: r.parked }, 'Slack workspace already recorded as uninstalled');
        return;
      }
      deps.slackStatus?.set('degraded', `the workspace ${workspace} uninstalled costbridge (${event}); deliveries are parked until it is reinstalled`);
      deps.log.warn(
        { team: workspace, event, parked: r.parked },
        `Slack workspace ${workspace} removed costbridge (${event}): ${r.parked} undelivered messages parked and no more are sent there; reinstall the app, set its new SLACK_BOT_TOKEN and restart, and they are delivered`,
      );
    });
  }
}
