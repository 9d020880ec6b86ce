import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { register as registerSearchSelect } from './search-select.js';

/** Options listeners (block_suggestion). */
export function register(app: App, deps: SlackDeps): void {
  registerSearchSelect(app, deps);
}
