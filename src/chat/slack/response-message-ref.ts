// Messages sent through a response_url get no `ts` back from Slack, so costbridge finds them again by
// the block ids it gives their actions blocks: a click on one carries `actions[].block_id`.

/** The delivered id recorded for a message sent through a response_url (outbox row `baseId`). */
export function responseDeliveredId(baseId: number): string {
  return `response:${baseId}`;
}

/** Whether a delivered id is one of `responseDeliveredId`'s: such a message can only change through a click's response_url. */
export function isResponseDeliveredId(id: string | null | undefined): boolean {
  return typeof id === 'string' && id.startsWith('response:');
}

/** The block id of the `k`th actions block of revision `rowId` of message `baseId` (new on every revision, as Slack asks). */
export function responseBlockId(baseId: number, rowId: number, k: number): string {
  return `cb.m${baseId}.r${rowId}.${k}`;
}

/** The outbox row of the message a block id of `responseBlockId` belongs to, else undefined. */
export function responseMessageOf(blockId: string | undefined): number | undefined {
  const m = /^cb\.m(\d{1,15})\.r\d{1,15}\.\d{1,4}$/.exec(blockId ?? '');
  return m ? Number(m[1]) : undefined;
}
