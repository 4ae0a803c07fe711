import type { ClockedTableRef } from '../dynamo/client.js';
import { SequenceConflictError } from '../dynamo/errors.js';
import type { KnownTimes } from '../rates/gcra.js';
import type { RoomCharge } from '../rates/room-charge.js';
import { chargeShare, NetworkShareError } from '../rates/room-share.js';
import { claimSeq } from './head.js';
import { putTombstone } from './tombstone.js';

/**
 * Seqs one append may claim. A writer loses its seq only when a reader tombstoned it because
 * the writer stalled longer than HOLE_GRACE_MS; losing five in a row means DynamoDB is failing.
 */
const MAX_CLAIMS = 5;

type StoreAccess = ClockedTableRef & {
  known: KnownTimes;
};

/** What a write at a claimed seq answers when a reader had tombstoned that seq: claim another. */
export const CLAIM_AGAIN = Symbol('claim again');

/**
 * Claims the room's next seq (charging the room's rate, when given: first the sender network's
 * share of it, then the room's own with the claim) and runs `write` there, claiming again each
 * time `write` finds its seq tombstoned. Every append to a log, whatever event it writes, goes
 * through here.
 */
export const atClaimedSeq = async <T>(
  deps: StoreAccess,
  room: string,
  charge: RoomCharge | undefined,
  write: (seq: number) => Promise<T | typeof CLAIM_AGAIN>,
): Promise<T> => {
  if (charge?.share) {
    const shared = await chargeShare(deps, room, charge, 'events', deps.now());
    if (shared.outcome === 'limited') {
      throw new NetworkShareError(room, shared.retryAfterMs, charge.share.fraction);
    }
  }
  for (let claim = 1; claim <= MAX_CLAIMS; claim++) {
    const seq = await claimSeq(deps, room, charge);
    const written = await write(seq);
    if (written !== CLAIM_AGAIN) return written;
  }
  throw new SequenceConflictError(room, MAX_CLAIMS);
};

/**
 * Runs the write of a claimed seq; if it fails, tries to resolve the seq with a tombstone before
 * passing the error on, so a failed append leaves no hole behind when DynamoDB allows it. A
 * tombstone that finds an event already there means the write did land: `landed` answers then.
 */
export const writeOrResolve = async <T>(
  deps: ClockedTableRef,
  room: string,
  seq: number,
  write: () => Promise<T>,
  landed: () => T,
): Promise<T> => {
  try {
    return await write();
  } catch (error) {
    const resolution = await putTombstone(deps, room, seq).catch(() => undefined);
    if (resolution?.outcome === 'landed') return landed();
    throw error;
  }
};

/** Gives a claimed seq up at once (its write will not happen), rather than leave a hole to age. */
export const giveUpSeq = (deps: ClockedTableRef, room: string, seq: number) =>
  putTombstone(deps, room, seq).then(
    () => undefined,
    () => undefined,
  );
