import type { KnownTimes } from '../rates/gcra.js';
import { type RoomBudget, roomCharge } from '../rates/room-charge.js';
import type { AppendResult, ChatMessage, NewMessage } from '../types.js';
import { atClaimedSeq, CLAIM_AGAIN, giveUpSeq, writeOrResolve } from './claimed-seq.js';
import { messageUnits } from './event-units.js';
import { newIdRecord, originalOf, type Peppered, readIdRecord } from './idempotency.js';
import { writeMessage } from './write-message.js';

type StoreAccess = Peppered & {
  known: KnownTimes;
};

/**
 * What limits an append in its room (its rate in write units, posts and network shares), and
 * `vet`: run once the message is known to be new (a retried id is answered from the log without
 * it), before its seq is claimed, it gives the text to store or throws to store nothing. The id
 * stays bound to the text the client sent, so a retry of it still matches.
 */
export type AppendOptions = RoomBudget & { vet?: ((text: string) => Promise<string>) | undefined };

/**
 * Appends a message to its room's log: claims the next seq (one atomic counter update, so
 * concurrent senders never retry against each other), then writes the message there with its
 * id record. A retried id is found before anything is claimed and gets its original message.
 */
export const appendMessage = async (
  deps: StoreAccess,
  input: NewMessage,
  { roomRate, vet, ...budget }: AppendOptions = {},
): Promise<AppendResult> => {
  const { id } = input;
  const withId = id === undefined ? undefined : { ...input, id };
  const idRecord = withId && (await newIdRecord(deps, withId));
  if (withId && idRecord) {
    const earlier = await readIdRecord(deps, idRecord);
    if (earlier) return originalOf(deps, withId, idRecord, earlier);
  }
  const text = vet ? await vet(input.text) : input.text;
  const charge = roomCharge(roomRate, messageUnits({ ...input, text }, idRecord), budget);
  return atClaimedSeq(deps, input.room, charge, async (seq) => {
    const message: ChatMessage = {
      room: input.room,
      seq,
      ...(id !== undefined ? { id } : {}),
      sender: input.sender,
      ...(input.userId ? { userId: input.userId } : {}),
      text,
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
