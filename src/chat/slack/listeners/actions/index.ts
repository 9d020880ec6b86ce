import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { register as registerButtonAction } from './button-action.js';

/** Interactive-component listeners (block_actions). */
export function register(app: App, deps: SlackDeps): void {
  registerButtonAction(app, deps);
}
