import type { ClockedTableRef } from '../dynamo/client.js';
import { putIfAbsent } from '../dynamo/conditional.js';
import { messageKey } from '../dynamo/keys.js';
import { type LogEntry, toLogEntry, tombstoneItem } from './log-items.js';

/** What resolving a seq found: it is a tombstone now, or an event got there first. */
export type Resolution =
  | { outcome: 'tombstone' }
  | { outcome: 'landed'; entry: Exclude<LogEntry, { kind: 'tombstone' }> };

/**
 * Resolves a seq whose claimant never wrote it: a conditional put of a tombstone, which loses to
 * an event that got there first (the claimant was only slow) and then returns that event.
 */
export const putTombstone = async (
  deps: ClockedTableRef,
  room: string,
  seq: number,
): Promise<Resolution> => {
  const put = await putIfAbsent(deps, tombstoneItem(messageKey(room, seq), seq, deps.now()));
  if (put.written || !put.existing || put.existing.tombstone === true) {
    return { outcome: 'tombstone' };
  }
  const entry = toLogEntry(put.existing);
  return entry.kind === 'tombstone' ? { outcome: 'tombstone' } : { outcome: 'landed', entry };
};
