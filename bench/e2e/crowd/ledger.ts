/**
 * What one reader of a room has received, by seq: a user's ledger spans the sockets it opened one
 * after another, and counts each socket's deliveries apart (`socket()` starts a new one).
 *
 * - a **duplicate** is a seq delivered live (a `message` frame, or one of a `messages` batch)
 *   more than once on one socket: the "receives N of them twice";
 * - a **replay duplicate** is a seq more than once in one socket's `history` frames;
 * - an **overlap** is any other arrival of a seq the user already had: replayed after it came
 *   live (expected when a client resumes after its contiguous seq and later seqs had arrived
 *   first), live after its replay, or again on a later socket. Not a duplicate: the page files a
 *   message by seq, so it shows once.
 */
export interface Ledger {
  /** Begins counting a new socket's deliveries (the first socket needs no call). */
  socket(): void;
  /** Records a delivery at `at` (ms); answers whether it was the user's first of that seq. */
  add(seq: number, how: 'live' | 'replay', at: number): boolean;
  /** Distinct seqs the user has. */
  readonly distinct: number;
  readonly highest: number;
  /** The highest seq such that the user has every seq from 1 to it: where to resume after. */
  readonly contiguous: number;
  readonly duplicates: number;
  readonly replayDuplicates: number;
  readonly overlap: number;
  /** When the user first had `count` distinct seqs (ms, as given to `add`); NaN until then. */
  reachedAt(count: number): number;
}

export const createLedger = (): Ledger => {
  const have = new Set<number>();
  /** When the n-th distinct seq arrived, n from 1. */
  const arrivals: number[] = [];
  let live = new Set<number>();
  let replayed = new Set<number>();
  let contiguous = 0;
  let highest = 0;
  let duplicates = 0;
  let replayDuplicates = 0;
  let overlap = 0;
  return {
    socket: () => {
      live = new Set();
      replayed = new Set();
    },
    add: (seq, how, at) => {
      const seen = how === 'live' ? live : replayed;
      if (seen.has(seq)) {
        if (how === 'live') duplicates++;
        else replayDuplicates++;
        return false;
      }
      seen.add(seq);
      if (have.has(seq)) {
        overlap++;
        return false;
      }
      have.add(seq);
      arrivals.push(at);
      highest = Math.max(highest, seq);
      while (have.has(contiguous + 1)) contiguous++;
      return true;
    },
    get distinct() {
      return have.size;
    },
    get highest() {
      return highest;
    },
    get contiguous() {
      return contiguous;
    },
    get duplicates() {
      return duplicates;
    },
    get replayDuplicates() {
      return replayDuplicates;
    },
    get overlap() {
      return overlap;
    },
    reachedAt: (count) => (count > 0 ? (arrivals[count - 1] ?? Number.NaN) : 0),
  };
};
