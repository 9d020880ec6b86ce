import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import type { Store } from '../../store/database.js';
import type { ChatAction } from '../../server/actions/chat-action.js';
import type { ChatCommand } from '../../server/commands/chat-command.js';
import type { ChatForm } from '../../server/forms/chat-form.js';

/** What the Teams turn handler needs: the store, settings, the neutral handlers, and a way to wake the outbox. */
export interface TeamsDeps {
  readonly config: Config;
  readonly store: Store;
  readonly log: Logger;
  readonly commands: readonly ChatCommand[];
  readonly actions: readonly ChatAction[];
  readonly forms: readonly ChatForm[];
  readonly nudgeOutbox: () => void;
  readonly now: () => Date;
}
