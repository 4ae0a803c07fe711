import { BoundedMap } from '../dynamo/bounded-map.js';

/** The connection item's attributes of its refusal window: when it ends, what it counted. */
export const UNTIL = 'rlUntil';
export const REFUSED = 'rlRefused';

/** One connection's window as this container knows it; `until` 0: none known open. */
export interface Window {
  until: number;
  /** The table's count of refused frames in the window, as last seen. */
  counted: number;
  /** Refused here and not yet added to the table's count. */
  pending: number;
}

/** Each connection's refusal window as this container last saw it. Bounded like `KnownTimes`. */
export class RefusalWindows {
  private readonly windows = new BoundedMap<string, Window>();

  /** The connection's window, or a fresh entry (`until` 0) once the one known has ended. */
  at(connectionId: string, now: number): Window {
    const known = this.windows.get(connectionId);
    if (known && (known.until === 0 || known.until > now)) return known;
    return this.windows.set(connectionId, { until: 0, counted: 0, pending: 0 });
  }

  /** Takes a window from a connection item the table returned (a refused write's `ALL_OLD`). */
  learn(connectionId: string, item: Record<string, unknown>) {
    const until = item[UNTIL];
    if (typeof until !== 'number') return;
    const counted = typeof item[REFUSED] === 'number' ? item[REFUSED] : 0;
    const known = this.windows.get(connectionId);
    if (!known) {
      this.windows.set(connectionId, { until, counted, pending: 0 });
      return;
    }
    if (known.until > until) return;
    if (known.until === until) {
      known.counted = Math.max(known.counted, counted);
      return;
    }
    // Changed in place: a refusal still being recorded holds this very entry, and what it adds
    // to `pending` must not land on one nobody reads. Refusals kept while no window was known
    // belong to this one; those of a window that ended do not.
    if (known.until !== 0) known.pending = 0;
    known.until = until;
    known.counted = counted;
  }
}
