import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/database.js';
import type { ChatAction } from './actions/chat-action.js';
import type { ChatCommand } from './commands/chat-command.js';
import type { ChatForm } from './forms/chat-form.js';
import type { OptionsSource } from './forms/options-source.js';

/** What every chat platform's adapter needs: the store, settings, the neutral handlers, and a way to wake the outbox. */
export interface ChatAdapterDeps {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly commands: readonly ChatCommand[];
  readonly actions: readonly ChatAction[];
  readonly forms: readonly ChatForm[];
  /** The searchable selects' option sources (Slack block_suggestion, Teams application/search). */
  readonly optionsSources: readonly OptionsSource[];
  /** Called after queuing a message so the outbox worker delivers it now rather than at its next poll. */
  readonly nudgeOutbox: () => void;
  readonly now: () => Date;
}
