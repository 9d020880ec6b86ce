import type { App } from '@slack/bolt';
import type { SlackDeps } from '../../slack-deps.js';
import { register as registerFormSubmission } from './form-submission.js';

/** Modal listeners (view_submission). */
export function register(app: App, deps: SlackDeps): void {
  registerFormSubmission(app, deps);
}
