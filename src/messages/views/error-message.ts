import type { ErrorCode } from '../../domain/costbridge-error.js';
import { context, message, text } from '../message-blocks.js';
import type { ContentBlock, Message } from '../message-model.js';
import { bold, code, command, rich, type RichText } from '../rich-text.js';

/** Failure codes a chat reply can explain: the domain's, plus those only chat has. */
export type ChatErrorCode = ErrorCode | 'UNKNOWN_USER' | 'UNKNOWN_COMMAND' | 'ALREADY_DECIDED' | 'INTERNAL';

/** An error to explain (the use case's code and message). */
export interface ErrorMessageView {
  readonly code: ChatErrorCode;
  /** The use case's own message, shown as is. */
  readonly message?: string;
  readonly details?: readonly string[];
}

const friendly: Record<ChatErrorCode, { title: string; todo: RichText }> = {
  INPUT_INVALID: { title: 'Something in that request was not valid.', todo: rich('Check the values and try again.') },
  NOT_FOUND: { title: 'costbridge could not find that.', todo: rich('It may have been removed since this message was posted; ask again with ', command('help'), ' to find the current list.') },
  CONFLICT: { title: 'That was already decided.', todo: rich('Refresh the message to see the decision and who made it.') },
  ALREADY_DECIDED: { title: 'Someone else decided this first.', todo: rich('The message now shows their decision; nothing was changed by your click.') },
  FORBIDDEN: { title: 'You are not allowed to do that.', todo: rich('Ask a costbridge admin for the role it needs (for example ', bold('itfm'), ' to approve savings).') },
  UNKNOWN_USER: { title: 'costbridge does not know you yet.', todo: rich('Ask a costbridge admin to add you: ', code('npx costbridge people add YOUR-NAME --role owner --email you@example.com --as ADMIN'), '.') },
  UNKNOWN_COMMAND: { title: 'costbridge does not know that command.', todo: rich('Try ', command('help'), ' for the list.') },
  DATABASE: { title: 'costbridge could not reach its database.', todo: rich('Try again in a minute; if it keeps failing, tell your costbridge admin.') },
  CONFIG_INVALID: { title: 'costbridge is not configured correctly.', todo: rich('Tell your costbridge admin; the server log names the setting.') },
  FILE_NOT_FOUND: { title: 'A file costbridge needs is missing.', todo: rich('Tell your costbridge admin; the server log names the file.') },
  INTERNAL: { title: 'Something went wrong inside costbridge.', todo: rich('Nothing was changed. Try again; if it keeps failing, tell your costbridge admin.') },
};

/** A friendly explanation of an error code and what to do about it. */
export function errorMessage(view: ErrorMessageView): Message {
  const f = friendly[view.code];
  const blocks: ContentBlock[] = [text(bold(f.title), view.message ? ` ${view.message}` : '')];
  for (const d of view.details ?? []) blocks.push(context(d));
  blocks.push(context(f.todo));
  return message(view.message ? `${f.title} ${view.message}` : f.title, blocks);
}
