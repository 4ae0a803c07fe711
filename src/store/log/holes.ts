import type { ClockedTableRef } from '../dynamo/client.js';
import type { LogEntry } from './log-items.js';
import { putTombstone } from './tombstone.js';

/**
 * How long a claimed seq may stay unwritten, counted from when an entry above it was written,
 * before a reader gives it up with a tombstone. Writers finish within milliseconds; one that
 * stalls longer (or died) loses the seq and, if alive, claims another: nothing is lost, and a
 * client waiting on the hole gets an answer within seconds.
 */
export const HOLE_GRACE_MS = 5_000;

/** Tombstones one read may write, so that a read's cost stays bounded. */
const MAX_RESOLVED_PER_READ = 100;

export interface Hole {
  seq: number;
  /** When the nearest entry above it was written: the hole's seq was claimed before then. */
  evidenceAt: number;
}

/**
 * Seqs missing between consecutive entries (ascending), from `from` when the read covered the
 * range from there, at most as many as one read may resolve.
 */
export const findHoles = (entries: LogEntry[], from?: number): Hole[] => {
  const holes: Hole[] = [];
  let next = from ?? entries[0]?.seq ?? 0;
  for (const entry of entries) {
    for (let seq = next; seq < entry.seq && holes.length < MAX_RESOLVED_PER_READ; seq++) {
      holes.push({ seq, evidenceAt: entry.writtenAt });
    }
    next = entry.seq + 1;
  }
  return holes;
};

/**
 * Tombstones the holes old enough to be given up. A tombstone that loses to an event (its
 * writer was only slow) brings that event back instead. Holes that are too young, or whose
 * tombstone could not be written now, are left for a later read.
 */
export const resolveHoles = async (deps: ClockedTableRef, room: string, holes: Hole[]) => {
  const now = deps.now();
  const due = holes.filter((hole) => now - hole.evidenceAt >= HOLE_GRACE_MS);
  const skipped: number[] = [];
  const arrived: LogEntry[] = [];
  await Promise.all(
    due.map(async ({ seq }) => {
      const resolution = await putTombstone(deps, room, seq).catch(() => undefined);
      if (resolution?.outcome === 'tombstone') skipped.push(seq);
      if (resolution?.outcome === 'landed') arrived.push(resolution.entry);
    }),
  );
  return { skipped, arrived };
};
