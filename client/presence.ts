import type { Connection } from './connection.js';
import { el, ui } from './dom.js';
import type { Person } from './moderation-event.js';
import type { People } from './people.js';
import { type Member, memberItem } from './presence-item.js';
import { wirePresenceList } from './presence-list.js';
import { mayModerate, type Session } from './session.js';

// A `who` asked to settle an ambiguous leave is not asked again sooner than this.
const WHO_EVERY_MS = 3000;

/** What the presence list needs of the rest of the page. */
export interface PresenceParts {
  session: Session;
  live: () => Connection | null;
  people: People;
  /** A moderator picked someone in the list to act on. */
  pick: (person: Person) => void;
}

/** One of a snapshot's people, with their connections when the server tells them (`tabs`). */
export interface Listed {
  name: string;
  userId: string | null;
  connections?: number;
}

const number = (n: number) => n.toLocaleString('en');

const keyOf = (name: string, userId: string | null) => userId ?? `name:${name}`;

const byName = (a: Member, b: Member) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : (a.userId ?? '') < (b.userId ?? '') ? -1 : 1;

/**
 * Who is in the room: its people, counted once however many tabs each has open (shown beside
 * the name, "alice (2 tabs)"), kept by the server's `presence` snapshots (which replace it) and
 * `join`/`leave` notices (by `userId`: a second tab of someone is not a new person). A room too
 * big to list gets only `occupancy`, a count of connections, and says so. A moderator can pick
 * anyone else in the list to kick, ban or mute.
 */
export const createPresence = ({ session, live, people, pick }: PresenceParts) => {
  let count: number | null = null;
  let members = new Map<string, Member>();
  /** The server listed only some of the people. */
  let more = false;
  /** The room is too big for notices: only its count is kept up to date. */
  let big = false;
  let askedWhoAt = 0;
  wirePresenceList();

  /** Connections whose person is not known here. */
  const unplaced = () => {
    let placed = 0;
    for (const m of members.values()) placed += m.connections;
    return (count ?? 0) - placed;
  };
  const isMe = (m: Member) =>
    m.userId !== null && session.userId !== null
      ? m.userId === session.userId
      : m.name === session.name;
  const item = (m: Member) =>
    memberItem(m, {
      me: isMe(m),
      print: people.fingerprint(m.name, m.userId),
      pick: mayModerate(session) && !isMe(m) ? pick : null,
    });
  /**
   * People, when the list is whole; for a room too big to list (`occupancy`, or a snapshot
   * with `more`), its connections, the only count the server sends of it.
   */
  const counted = () => {
    if (count === null) return '';
    if (big || more) return `${number(count)} ${count === 1 ? 'connection' : 'connections'}`;
    return `${number(members.size)} here`;
  };
  const render = () => {
    const shown = [...members.values()].sort(byName);
    ui.presence.hidden = count === null;
    ui.presenceCount.textContent = counted();
    ui.presenceCount.title =
      count !== null && !big && !more && count !== members.size
        ? `${number(members.size)} people, ${number(count)} tabs or devices`
        : '';
    const items = shown.map(item);
    if (big && items.length === 0) items.push(el('li', 'more', 'too many people to list'));
    else if (big || more) items.push(el('li', 'more', 'and more'));
    ui.presenceNames.replaceChildren(...items);
    ui.presence.title = shown.map((m) => m.name).join(', ');
    delete ui.presence.dataset.stale;
  };
  const askWho = () => {
    const conn = live();
    if (!conn?.open || Date.now() - askedWhoAt < WHO_EVERY_MS) return;
    askedWhoAt = Date.now();
    conn.send({ action: 'who' });
  };

  return {
    render,
    /** A full snapshot (`listed`: its people, or names alone from a server without ids). */
    snapshot(total: number, listed: readonly Listed[], hasMore: boolean) {
      count = total;
      members = new Map();
      for (const { name, userId, connections = 1 } of listed) {
        people.saw(name, userId);
        members.set(keyOf(name, userId), { name, userId, connections });
      }
      more = hasMore;
      big = false;
      render();
    },
    /** Someone connected (`total`: the room's count now). */
    joined(name: string, userId: string | null, total: number) {
      count = total;
      people.saw(name, userId);
      const key = keyOf(name, userId);
      const known = members.get(key);
      members.set(key, { name, userId, connections: (known?.connections ?? 0) + 1 });
      render();
    },
    /** Someone's connection went (`total`: the room's count now). */
    left(name: string, userId: string | null, total: number) {
      const ambiguous = unplaced() > 0;
      count = total;
      const key = keyOf(name, userId);
      const known = members.get(key);
      const n = known?.connections ?? 0;
      if (known && n > 1) known.connections = n - 1;
      // The person may have more connections the snapshot listed once: ask rather than guess.
      else if (n === 1 && ambiguous) askWho();
      else members.delete(key);
      render();
    },
    /** A big room's count of connections (its people are not sent). */
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
      members = new Map();
      more = false;
      big = false;
      render();
    },
  };
};

/** The presence list of one page. */
export type Presence = ReturnType<typeof createPresence>;
