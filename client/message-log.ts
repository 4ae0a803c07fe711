import type { ChatMessage } from './wire.js';

/** A message shown in the log: whether this page sent it, and its list item. */
export interface Entry {
  m: ChatMessage;
  own: boolean;
  li: HTMLLIElement;
}

/** A run of missing seqs between two resolved ones, and how often it was fetched. */
export interface Gap {
  key: string;
  after: number;
  until: number;
  fetches: number;
}

/**
 * The room's seqs as this page knows them. A seq is resolved when it holds a message, an update
 * (an edit or a deletion of an earlier message), a moderation event, or the server said it never
 * will hold anything (`skipped`); a reconnect resumes after the contiguous run of them.
 */
export const createMessageLog = () => {
  let messages = new Map<number, Entry>();
  let seqs: number[] = [];
  let skipped = new Set<number>();
  let updates = new Set<number>();
  let events = new Set<number>();

  const isResolved = (seq: number) =>
    messages.has(seq) || skipped.has(seq) || updates.has(seq) || events.has(seq);
  /** The seqs resolved without a message of their own. */
  const others = () => [...skipped, ...updates, ...events];
  /** Where `seq` goes in the sorted seqs. */
  const insertionIndex = (seq: number) => {
    let lo = 0;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seqs[mid] as number) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const lowestResolved = () => {
    let low = seqs[0] ?? Number.POSITIVE_INFINITY;
    for (const seq of others()) low = Math.min(low, seq);
    return low === Number.POSITIVE_INFINITY ? null : low;
  };
  const lowestResolvedAbove = (seq: number) => {
    let found = seqs[insertionIndex(seq + 1)] ?? Number.POSITIVE_INFINITY;
    for (const s of others()) if (s > seq) found = Math.min(found, s);
    return found === Number.POSITIVE_INFINITY ? null : found;
  };
  const highestContiguousSeq = () => {
    let seq = lowestResolved();
    if (seq === null) return null;
    while (isResolved(seq + 1)) seq++;
    return seq;
  };

  return {
    /** The shown messages' seqs, in order. */
    get seqs(): readonly number[] {
      return seqs;
    },
    get skipped(): ReadonlySet<number> {
      return skipped;
    },
    /** The seqs of the updates seen. */
    get updates(): ReadonlySet<number> {
      return updates;
    },
    /** The seqs of the moderation events seen. */
    get events(): ReadonlySet<number> {
      return events;
    },
    has: (seq: number) => messages.has(seq),
    get: (seq: number | undefined) => (seq === undefined ? undefined : messages.get(seq)),
    /** The entry `offset` places after the one for `seq`. */
    besides: (seq: number, offset: number) => messages.get(seqs[seqs.indexOf(seq) + offset] ?? 0),
    insertionIndex,
    /** Adds a message's entry; returns the entry it goes before, if any. */
    add(entry: Entry) {
      const index = insertionIndex(entry.m.seq);
      const next = seqs[index];
      seqs.splice(index, 0, entry.m.seq);
      messages.set(entry.m.seq, entry);
      return next === undefined ? undefined : messages.get(next);
    },
    skip: (seq: number) => skipped.add(seq),
    /** An update's seq: resolved, though it shows no message of its own. */
    updated: (seq: number) => updates.add(seq),
    /** A moderation event's seq: resolved, shown as a line of its own. */
    noted: (seq: number) => events.add(seq),
    clear() {
      messages = new Map();
      seqs = [];
      skipped = new Set();
      updates = new Set();
      events = new Set();
    },
    lowestResolved,
    highestContiguousSeq,
    /** The first run of missing seqs after the contiguous ones, if any. */
    firstGap(): Gap | null {
      const after = highestContiguousSeq();
      const until = after === null ? null : lowestResolvedAbove(after);
      return after === null || until === null
        ? null
        : { key: `${after}-${until}`, after, until, fetches: 0 };
    },
  };
};

/** The log of one page. */
export type MessageLog = ReturnType<typeof createMessageLog>;
