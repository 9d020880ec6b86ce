import { form, type Form } from '../../messages/form-model.js';
import type { ClickedMessage } from '../actions/chat-action.js';

/** What a form's private metadata holds: the view's own ids, plus the message whose button opened it. */
export interface FormMetadata {
  readonly ids: Readonly<Record<string, unknown>>;
  /** Undefined when the form was not opened from a message (or the metadata was not ours). */
  readonly origin: ClickedMessage | undefined;
}

/**
 * The form with the clicked message added to its private metadata, so that the submission (which
 * Slack and Teams deliver without it) can update that message in place.
 */
export function formFromMessage(f: Form, clicked: ClickedMessage): Form {
  const ids = JSON.parse(f.privateMetadata) as Record<string, unknown>;
  const origin = { target: clicked.target, messageId: clicked.messageId, ...(clicked.responseUrl ? { responseUrl: clicked.responseUrl } : {}) };
  return form({ ...f, privateMetadata: JSON.stringify({ ...ids, origin }) });
}

/** Reads the metadata written by `formFromMessage`; anything else is an empty, origin-less metadata. */
export function readFormMetadata(privateMetadata: string): FormMetadata {
  let parsed: unknown;
  try {
    parsed = JSON.parse(privateMetadata);
  } catch {
    return { ids: {}, origin: undefined };
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return { ids: {}, origin: undefined };
  const { origin, ...ids } = parsed as Record<string, unknown>;
  const o = origin as { target?: unknown; messageId?: unknown; responseUrl?: unknown } | undefined;
  return {
    ids,
    origin:
      o && typeof o.target === 'string' && typeof o.messageId === 'string'
        ? { target: o.target, messageId: o.messageId, ...(typeof o.responseUrl === 'string' ? { responseUrl: o.responseUrl } : {}) }
        : undefined,
  };
}

/** One submitted value as text: the first of a multi-select, trimmed; undefined when empty. */
export function formText(value: string | readonly string[] | undefined): string | undefined {
  const v = typeof value === 'string' ? value : value?.[0];
  const t = v?.trim();
  return t ? t : undefined;
}
