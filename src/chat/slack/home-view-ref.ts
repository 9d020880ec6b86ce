// An App Home has no channel or ts: costbridge records its view id as the delivered id, prefixed so
// that every part of the chat code can tell a home from a message (a click on a home carries
// `view.id`, not a channel and ts).

/** The delivered id recorded for a published App Home view. */
export function homeDeliveredId(viewId: string): string {
  return `home:${viewId}`;
}

/** Whether a delivered id is one of `homeDeliveredId`'s. */
export function isHomeDeliveredId(id: string | null | undefined): boolean {
  return typeof id === 'string' && id.startsWith('home:');
}
