import type { ChatAdapterDeps } from '../../server/chat-adapter-deps.js';

/** What the Teams turn handler needs: the store, settings, the neutral handlers, and a way to wake the outbox. */
export type TeamsDeps = ChatAdapterDeps;
