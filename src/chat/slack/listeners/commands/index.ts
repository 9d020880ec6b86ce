import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { register as registerCostbridgeCommand } from './costbridge-command.js';

/** Slash-command listeners. */
export function register(app: App, deps: SlackDeps): void {
  registerCostbridgeCommand(app, deps);
}
