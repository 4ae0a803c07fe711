import type { Connection } from './connection.js';
import { el, ui } from './dom.js';
import type { Session } from './session.js';

// A `who` asked to settle an ambiguous leave is not asked again sooner than this.
const WHO_EVERY_MS = 3000;

/** What the presence list needs of the rest of the page. */
export interface PresenceParts {
  session: Session;
  live: () => Connection | null;
}

/**
 * Who is in the room: the count of its connections and their distinct names, kept by the
 * server's `presence` snapshots (which replace it), `join`/`leave` notices (names counted per
 * connection: two tabs of one name list it once) and `occupancy` counts of rooms too big to list.
 */
export const createPresence = ({ session, live }: PresenceParts) => {
  let count: number | null = null;
  let names = new Map<string, number>();
  /** The server listed only some of the names. */
  let more = false;
  /** The room is too big for notices: only its count is kept up to date. */
  let big = false;
  let askedWhoAt = 0;

  /** Connections whose name is not known here (a snapshot lists each name once). */
  const unplaced = () => {
    let placed = 0;
    for (const n of names.values()) placed += n;
    return (count ?? 0) - placed;
  };
  const render = () => {
    ui.presence.hidden = count === null;
    ui.presenceCount.textContent = count === null ? '' : `${count.toLocaleString('en')} here`;
    const items = [...names.keys()].sort().map((name) => {
      const li = el('li', name === session.name ? 'me' : '', name);
      li.dir = 'auto';
      return li;
    });
    if (big && items.length === 0) items.push(el('li', 'more', 'too many people to list'));
    else if (big || more) items.push(el('li', 'more', 'and more'));
    ui.presenceNames.replaceChildren(...items);
    ui.presence.title = [...names.keys()].sort().join(', ');
    delete ui.presence.dataset.stale;
  };
  const askWho = () => {
    const conn = live();
    if (!conn?.open || Date.now() - askedWhoAt < WHO_EVERY_MS) return;
    askedWhoAt = Date.now();
    conn.send({ action: 'who' });
  };

  return {
    /** A full snapshot: replaces what was known. */
    snapshot(total: number, listed: readonly string[], hasMore: boolean) {
      count = total;
      names = new Map(listed.map((name) => [name, 1]));
      more = hasMore;
      big = false;
      render();
    },
    /** Someone connected (`total`: the room's count now). */
    joined(name: string, total: number) {
      count = total;
      names.set(name, (names.get(name) ?? 0) + 1);
      render();
    },
    /** Someone's connection went (`total`: the room's count now). */
    left(name: string, total: number) {
      const ambiguous = unplaced() > 0;
      count = total;
      const n = names.get(name) ?? 0;
      if (n > 1) names.set(name, n - 1);
      // The name may have more connections the snapshot listed once: ask rather than guess.
      else if (n === 1 && ambiguous) askWho();
      else names.delete(name);
      render();
    },
    /** A big room's count (its names are not sent). */
    occupancy(total: number) {
      count = total;
      big = true;
      render();
    },
    /** The connection dropped: what is shown may be out of date until the next snapshot. */
    dropped() {
      ui.presence.dataset.stale = 'true';
    },
    /** Forgets the room (leaving it). */
    clear() {
      count = null;
      names = new Map();
      more = false;
      big = false;
      render();
    },
  };
};

/** The presence list of one page. */
export type Presence = ReturnType<typeof createPresence>;
