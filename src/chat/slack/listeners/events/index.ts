import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { register as registerWorkspaceUninstalled } from './workspace-uninstalled.js';
import { register as registerAppHomeOpened } from './app-home-opened.js';

/** Events API listeners (event_callback). */
export function register(app: App, deps: SlackDeps): void {
  registerWorkspaceUninstalled(app, deps);
  registerAppHomeOpened(app, deps);
}
