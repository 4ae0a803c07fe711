import type { ClockedTableRef } from './client.js';
import { putIfAbsent } from './conditional.js';
import { messageKey } from './keys.js';
import { toMessage, tombstoneItem } from './log-items.js';
import type { ChatMessage } from './types.js';

export type Resolution = { outcome: 'tombstone' } | { outcome: 'message'; message: ChatMessage };

/**
 * Resolves a seq whose claimant never wrote it: a conditional put of a tombstone, which loses to
 * a message that got there first (the claimant was only slow) and then returns that message.
 */
export const putTombstone = async (
  deps: ClockedTableRef,
  room: string,
  seq: number,
): Promise<Resolution> => {
  const put = await putIfAbsent(deps, tombstoneItem(messageKey(room, seq), seq, deps.now()));
  return put.written || !put.existing || put.existing.tombstone === true
    ? { outcome: 'tombstone' }
    : { outcome: 'message', message: toMessage(put.existing) };
};
