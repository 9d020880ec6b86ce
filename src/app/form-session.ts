import { randomBytes } from 'node:crypto';
import type { Store } from '../store/database.js';
import type { ChatPlatform } from '../store/chat-outbox.js';
import { findFormSession, insertFormSession, setFormSessionOutcome, takeFormSession, type StoredFormSession } from '../store/chat-form-sessions.js';
import { recordRefusal } from './authorization-policy.js';

/** How long a form opened from a button accepts its submission. */
export const formSessionMinutes = 60;

/** What a form is about, kept server-side while it is open. */
export interface FormSessionSpec {
  /** The form's callback id: a session answers only its own form. */
  readonly kind: string;
  readonly platform: ChatPlatform;
  /** The subject's ids (`{savingId}`), as the button carried them and the server checked them. */
  readonly subject: Readonly<Record<string, string>>;
  /** The subject's version when the form opened (a saving's version, the latest explanation id ...). */
  readonly subjectVersion?: string;
  /** The message whose button opened the form (checked to carry that button). */
  readonly origin: { readonly target: string; readonly messageId: string; readonly responseUrl?: string };
  readonly personId: string;
  /** The Slack user id / Teams AAD id the form was opened for: only they may submit it. */
  readonly platformUserId: string;
  readonly now: Date;
}

/** Stores a form session and returns its opaque id, the only thing the platform form carries. */
export async function openFormSession(store: Store, spec: FormSessionSpec): Promise<string> {
  const id = `fs_${randomBytes(18).toString('base64url')}`;
  await insertFormSession(store.db, {
    id,
    kind: spec.kind,
    platform: spec.platform,
    subject: spec.subject,
    subjectVersion: spec.subjectVersion ?? null,
    origin: spec.origin,
    personId: spec.personId,
    platformUserId: spec.platformUserId,
    openedAt: spec.now,
    expiresAt: new Date(spec.now.getTime() + formSessionMinutes * 60_000),
  });
  return id;
}

/** Why a submission was not accepted; nothing was recorded. */
export interface FormSessionRefusal {
  readonly ok: false;
  readonly code: 'FORM_UNKNOWN' | 'FORM_NOT_YOURS' | 'FORM_EXPIRED' | 'ALREADY_SUBMITTED';
  readonly message: string;
  /** Where the session's form was opened (known only when the session is ours): where to answer. */
  readonly origin?: { readonly target: string; readonly messageId: string; readonly responseUrl?: string };
}

function minute(d: Date): string {
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Accepts a form submission at most once: the session named by the form's id, of this form, opened
 * for this platform user, not expired. Anything else is refused with the reason; a submission naming
 * no session of ours, another form's session or someone else's form also leaves a `refused` audit row.
 */
export async function submitFormSession(
  store: Store,
  k: { id: string; kind: string; platform: ChatPlatform; platformUserId: string; personId: string; now: Date; requestKey: string },
): Promise<{ ok: true; session: StoredFormSession } | FormSessionRefusal> {
  const id = k.id.trim();
  const taken = id === '' ? undefined : await takeFormSession(store.db, { ...k, id });
  if (taken) return { ok: true, session: taken };
  const found = id === '' ? undefined : await findFormSession(store.db, id);
  const refuse = async (code: FormSessionRefusal['code'], message: string, audit: boolean): Promise<FormSessionRefusal> => {
    if (audit) {
      await recordRefusal(store.db, {
        actor: k.personId,
        surface: k.platform,
        action: 'form.submit',
        subjectType: 'form',
        subjectId: found?.id ?? (id.slice(0, 100) || '(none)'),
        reason: message,
        attempt: { kind: k.kind, platformUserId: k.platformUserId },
      });
    }
    return found && code !== 'FORM_UNKNOWN' ? { ok: false, code, message, origin: found.origin } : { ok: false, code, message };
  };
  if (!found || found.kind !== k.kind || found.platform !== k.platform) {
    return refuse('FORM_UNKNOWN', 'This form was not opened by costbridge for this action (or it is more than a week old): click the button on the message again.', true);
  }
  if (found.platformUserId !== k.platformUserId) {
    return refuse('FORM_NOT_YOURS', `This form was opened for ${found.personId}, not for you: click the button on the message yourself.`, true);
  }
  if (found.submittedAt !== null) {
    return refuse('ALREADY_SUBMITTED', `This form was already submitted at ${minute(found.submittedAt)}${found.outcome ? ` (${found.outcome})` : ''}; nothing was recorded twice.`, false);
  }
  return refuse('FORM_EXPIRED', `This form expired at ${minute(found.expiresAt)} (forms stay open ${formSessionMinutes} minutes); nothing was recorded: click the button on the message again.`, false);
}

/** Records what a submitted form came to, for the next "already submitted" answer and for support. */
export function recordFormOutcome(store: Store, id: string, outcome: 'recorded' | 'refused' | 'conflict' | 'failed'): Promise<void> {
  return setFormSessionOutcome(store.db, id, outcome);
}
