import type { App } from '@slack/bolt';
import type { SlackDeps } from '../slack-deps.js';
import { register as oncePerRequest } from './middleware/once-per-request.js';
import { register as commands } from './commands/index.js';
import { register as actions } from './actions/index.js';
import { register as views } from './views/index.js';
import { register as options } from './options/index.js';
import { register as events } from './events/index.js';

/** Every Slack listener, grouped by surface; the request dedupe middleware runs before all of them. */
export function registerListeners(app: App, deps: SlackDeps): void {
  oncePerRequest(app, deps);
  commands(app, deps);
  actions(app, deps);
  views(app, deps);
  options(app, deps);
  events(app, deps);
}
