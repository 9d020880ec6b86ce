import type { ChatRequest } from '../chat-request.js';

/** One choice offered by a searchable select. */
export interface SearchOption {
  readonly value: string;
  readonly label: string;
}

/** Where a searchable select (`optionsSource` of a form input) gets its choices as the user types. */
export interface OptionsSource {
  readonly id: string;
  /** Called only for people costbridge knows (`request.requester.person` is set). */
  search(query: string, request: ChatRequest): Promise<readonly SearchOption[]>;
}
