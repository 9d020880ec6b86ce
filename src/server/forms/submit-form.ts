import { recordFormOutcome, submitFormSession } from '../../app/form-session.js';
import { errorMessage } from '../../messages/views/error-message.js';
import type { ChatRequest } from '../chat-request.js';
import { refuseUnknownUser } from '../commands/access-refusal.js';
import { refreshHomes } from '../home/publish-home.js';
import type { ChatForm, FormOutcome, FormSubmission } from './chat-form.js';

/** A submission's outcome, with the work that must follow once its reply is queued (the decider's homes). */
export interface SubmittedForm extends FormOutcome {
  readonly afterReply?: () => Promise<void>;
}

/**
 * One form submission (already validated), as both adapters run it: people costbridge does not know
 * are told how to get access; the form's session is taken once — only by the person it was opened
 * for, before it expires — and the form decides on the session's subject, version and origin message,
 * never on anything the submitted data names. What the decision came to is kept with the session,
 * and a recorded decision refreshes the decider's home wherever they have one (`afterReply`, which
 * the caller must run).
 */
export async function submitChatForm(form: ChatForm, submission: FormSubmission, request: ChatRequest): Promise<SubmittedForm> {
  const person = request.requester.person;
  if (!person) return { reply: await refuseUnknownUser(request), decision: 'refused' };
  const taken = await submitFormSession(request.store, {
    id: submission.privateMetadata,
    kind: form.callbackId,
    platform: request.requester.surface,
    platformUserId: request.requester.userId,
    personId: person.id,
    now: request.now,
    requestKey: request.requestKey,
  });
  if (!taken.ok) {
    request.log.info({ code: taken.code, callbackId: form.callbackId, user: request.requester.userId }, 'form submission not accepted');
    const reply = errorMessage({ code: taken.code === 'ALREADY_SUBMITTED' ? 'CONFLICT' : taken.code === 'FORM_NOT_YOURS' ? 'FORBIDDEN' : 'NOT_FOUND', message: taken.message, details: [taken.code] });
    return { reply, decision: 'refused', ...(taken.origin ? { replyIn: taken.origin.target } : {}), ...(taken.origin?.responseUrl ? { replyResponseUrl: taken.origin.responseUrl } : {}) };
  }
  const s = taken.session;
  let outcome: FormOutcome;
  try {
    outcome = await form.submit(submission, request, { id: s.id, subject: s.subject, subjectVersion: s.subjectVersion, origin: s.origin });
  } catch (e) {
    await recordFormOutcome(request.store, s.id, 'failed').catch(() => undefined);
    throw e;
  }
  await recordFormOutcome(request.store, s.id, outcome.decision ?? 'recorded');
  // The decider's open decisions changed: their home (App Home, Teams personal chat) shows it, wherever
  // they decided. The caller runs it once the reply is on its way: the confirmation does not wait for it.
  const afterReply = (outcome.decision ?? 'recorded') === 'recorded' ? () => refreshHomes(request, person) : undefined;
  // The reply goes where the form was opened from (Slack: privately in that channel).
  // A posted message (not an ephemeral one, which has a response_url instead) keeps its decisions in its thread.
  return { replyIn: s.origin.target, ...(s.origin.responseUrl ? { replyResponseUrl: s.origin.responseUrl } : { replyThread: s.origin.messageId }), ...outcome, ...(afterReply ? { afterReply } : {}) };
}
