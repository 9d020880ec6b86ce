import type { Config } from '../config.js';
import type { Person } from '../domain/people.js';
import type { Store } from '../store/database.js';
import type { Logger } from '../log.js';

/** Which chat platform a request came from (also its audit surface). */
export type ChatSurface = 'slack' | 'teams';

/** The person behind a chat request, as the platform names them and as costbridge knows them. */
export interface ChatRequester {
  readonly surface: ChatSurface;
  /** Slack user id, or Teams AAD object id (else the Teams user id). */
  readonly userId: string;
  readonly displayName: string | undefined;
  /** Undefined when costbridge does not know this user (see `refuseUnknownUser`). */
  readonly person: Person | undefined;
}

/** What a command or action handler gets: the store, settings, who asked, and when. */
export interface ChatRequest {
  readonly store: Store;
  readonly config: Config;
  readonly log: Logger;
  readonly requester: ChatRequester;
  /** A platform id unique to this request (Slack trigger_id, Teams activity id): the idempotency key. */
  readonly requestKey: string;
  readonly now: Date;
  /** The Slack channel / Teams conversation a command was typed in (commands only; routing commands need it). */
  readonly channel?: string;
}
