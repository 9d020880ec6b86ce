// Invariants of the neutral model, each the strictest limit of any surface we render to, so that a
// model that passes its factory renders on every platform without cutting an identifier. Text a
// person reads is never limited here: renderers truncate it to their platform's limits.

/** Longest action id, callback id, input id or option source (Slack action_id / callback_id: 255). */
export const maxIdentifierLength = 255;
/** Longest serialized button payload (Slack button `value`: 2000). */
export const maxPayloadLength = 2000;
/** Longest form private metadata (Slack view `private_metadata`: 3000). */
export const maxPrivateMetadataLength = 3000;
/** Longest option value (Slack option `value`: 150). */
export const maxOptionValueLength = 150;

const identifierPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/** Throws unless `id` is a usable identifier; `what` names it in the error. */
export function checkIdentifier(id: string, what: string): string {
  if (id.length > maxIdentifierLength || !identifierPattern.test(id)) {
    throw new RangeError(`${what} must be 1-${maxIdentifierLength} characters of letters, digits, '.', '_', ':' or '-', got ${JSON.stringify(id)}`);
  }
  return id;
}

/** Most inputs in one form (far below Slack's 100 blocks a modal; keeps forms short). */
export const maxFormInputs = 50;

/** Most options of one select or radio group (Slack static select: 100); longer lists need a search select. */
export const maxOptions = 100;

/**
 * Most characters of labels, hints, initial values and options one form may carry. Inputs cannot be
 * cut the way a list can, so the model keeps forms small enough that the Teams card (whose JSON
 * repeats labels and wraps each option) stays within its ~28 KB budget.
 */
export const maxFormTextChars = 8000;

/**
 * Most columns a table keeps in a chat message, on every platform (a wider table is unreadable on a
 * phone): a wider one is shown as one section per row instead (see `wideTableRows`).
 */
export const maxChatTableColumns = 4;
