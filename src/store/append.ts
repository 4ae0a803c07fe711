import { atClaimedSeq, CLAIM_AGAIN, giveUpSeq, writeOrResolve } from './claimed-seq.js';
import type { ClockedTableRef } from './client.js';
import type { KnownTimes, Rate } from './gcra.js';
import { newIdRecord, originalOf, readIdRecord } from './idempotency.js';
import type { AppendResult, ChatMessage, NewMessage } from './types.js';
import { writeMessage } from './write-message.js';

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
  return atClaimedSeq(deps, input.room, roomRate, async (seq) => {
    const message: ChatMessage = {
      room: input.room,
      seq,
      ...(id !== undefined ? { id } : {}),
      sender: input.sender,
      text: input.text,
      // Stamped after the claim: readers age a hole by the entries above it (see holes.ts).
      sentAt: new Date(deps.now()).toISOString(),
    };
    const stored = { message, duplicate: false };
    const written = await writeOrResolve(
      deps,
      input.room,
      seq,
      () => writeMessage(deps, message, idRecord, input.author),
      () => ({ outcome: 'stored' as const }),
    );
    if (written.outcome === 'stored') return stored;
    if (written.outcome === 'id_taken' && withId && idRecord) {
      // A concurrent send of the same id won: give our seq up at once rather than leave a hole.
      await giveUpSeq(deps, input.room, seq);
      return originalOf(deps, withId, idRecord, written.record);
    }
    return CLAIM_AGAIN;
  });
};
