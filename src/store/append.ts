import type { ClockedTableRef } from './client.js';
import { SequenceConflictError } from './errors.js';
import type { KnownTimes, Rate } from './gcra.js';
import { claimSeq } from './head.js';
import { newIdRecord, originalOf, readIdRecord } from './idempotency.js';
import { putTombstone } from './tombstone.js';
import type { AppendResult, ChatMessage, NewMessage } from './types.js';
import { type IdRecord, type WriteOutcome, writeMessage } from './write-message.js';

/**
 * Seqs one append may claim. A writer loses its seq only when a reader tombstoned it because
 * the writer stalled longer than HOLE_GRACE_MS; losing five in a row means DynamoDB is failing.
 */
const MAX_CLAIMS = 5;

type StoreAccess = ClockedTableRef & {
  known: KnownTimes;
};

export interface AppendOptions {
  /** The room's message rate, charged with the claim; none when absent. */
  roomRate?: Rate | undefined;
}

/**
 * Appends a message to its room's log: claims the next seq (one atomic counter update, so
 * concurrent senders never retry against each other), then writes the message there with its
 * id record. A retried id is found before anything is claimed and gets its original message.
 */
export const appendMessage = async (
  deps: StoreAccess,
  input: NewMessage,
  { roomRate }: AppendOptions = {},
): Promise<AppendResult> => {
  const { id } = input;
  const withId = id === undefined ? undefined : { ...input, id };
  const idRecord = withId && newIdRecord(withId, deps.now());
  if (withId && idRecord) {
    const earlier = await readIdRecord(deps, idRecord);
    if (earlier) return originalOf(deps, withId, idRecord, earlier);
  }
  for (let claim = 1; claim <= MAX_CLAIMS; claim++) {
    const seq = await claimSeq(deps, input.room, roomRate);
    const message: ChatMessage = {
      room: input.room,
      seq,
      ...(id !== undefined ? { id } : {}),
      sender: input.sender,
      text: input.text,
      // Stamped after the claim: readers age a hole by the entries above it (see holes.ts).
      sentAt: new Date(deps.now()).toISOString(),
    };
    const written = await writeOrResolve(deps, message, idRecord);
    if (written.outcome === 'stored') return { message, duplicate: false };
    if (written.outcome === 'id_taken' && withId && idRecord) {
      // A concurrent send of the same id won: give our seq up at once rather than leave a hole.
      await putTombstone(deps, input.room, seq).catch(() => undefined);
      return originalOf(deps, withId, idRecord, written.record);
    }
  }
  throw new SequenceConflictError(input.room, MAX_CLAIMS);
};

/**
 * Writes the claimed seq; if the write fails, tries to resolve the seq with a tombstone before
 * passing the error on, so a failed append leaves no hole behind when DynamoDB allows it. A
 * tombstone that finds the message already there means the write did land.
 */
const writeOrResolve = async (
  deps: StoreAccess,
  message: ChatMessage,
  idRecord: IdRecord | undefined,
): Promise<WriteOutcome> => {
  try {
    return await writeMessage(deps, message, idRecord);
  } catch (error) {
    const resolution = await putTombstone(deps, message.room, message.seq).catch(() => undefined);
    if (resolution?.outcome === 'message') return { outcome: 'stored' };
    throw error;
  }
};
