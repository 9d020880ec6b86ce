import type { ChatCommand } from './chat-command.js';
import { helpCommand } from './help-command.js';
import { whoamiCommand } from './whoami-command.js';
import { unattributedCommand } from './unattributed-command.js';
import { savingsCommand } from './savings-command.js';
import { varianceCommand } from './variance-command.js';
import { defineCommand } from './define-command.js';
import { subscribeCommand } from './subscribe-command.js';
import { unsubscribeCommand } from './unsubscribe-command.js';
import { muteCommand } from './mute-command.js';

/**
 * Every chat subcommand, in the order `help` lists them. Registration points for the commands the
 * use cases of issues 3-5 back: add `unattributed [period]`, `savings [status]`,
 * `variance [cost-center] [period]`, `define <term>`, `subscribe <cost-center|all>`, `unsubscribe`,
 * `mute <kind> <duration>` and `cadence ...` here as `ChatCommand`s (one file each in this folder).
 */
export const chatCommands: readonly ChatCommand[] = [
  helpCommand(() => chatCommands),
  unattributedCommand,
  savingsCommand,
  varianceCommand,
  defineCommand,
  subscribeCommand,
  unsubscribeCommand,
  muteCommand,
  whoamiCommand,
];
