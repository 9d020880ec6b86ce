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
import { cadenceCommand } from './cadence-command.js';
import { homeCommand } from './home-command.js';

/**
 * Every chat subcommand, in the order `help` lists them (one file each in this folder). The Slack
 * manifests' usage hint and the Teams manifest's command list name exactly these (a test checks it).
 */
export const chatCommands: readonly ChatCommand[] = [
  helpCommand(() => chatCommands),
  homeCommand,
  unattributedCommand,
  savingsCommand,
  varianceCommand,
  defineCommand,
  subscribeCommand,
  unsubscribeCommand,
  muteCommand,
  cadenceCommand,
  whoamiCommand,
];
