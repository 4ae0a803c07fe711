import type { Connection } from './connection.js';
import { el, ui } from './dom.js';
import type { Person } from './moderation-event.js';
import { type People, showFingerprint } from './people.js';
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

/** Someone in the room: by their id (or, from a server without ids, by name alone). */
interface Member {
  userId: string | null;
  name: string;
  /** Their connections known here (a snapshot lists each person once). */
  connections: number;
}

const keyOf = (name: string, userId: string | null) => userId ?? `name:${name}`;

const byName = (a: Member, b: Member) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : (a.userId ?? '') < (b.userId ?? '') ? -1 : 1;

/**
 * Who is in the room: the count of its connections and its people, kept by the server's
 * `presence` snapshots (which replace it), `join`/`leave` notices (counted per connection: two
 * tabs of one person list them once) and `occupancy` counts of rooms too big to list. A
 * moderator can pick anyone else in the list to kick, ban or mute.
 */
export const createPresence = ({ session, live, people, pick }: PresenceParts) => {
  let count: number | null = null;
  let members = new Map<string, Member>();
  /** The server listed only some of the people. */
  let more = false;
  /** The room is too big for notices: only its count is kept up to date. */
  let big = false;
  let askedWhoAt = 0;

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
  const item = (m: Member) => {
    const li = el('li', isMe(m) ? 'me' : '');
    const name = el('span', 'name', m.name);
    name.dir = 'auto';
    if (mayModerate(session) && m.userId !== null && !isMe(m)) {
      const person = { userId: m.userId, name: m.name };
      const choose = el('button', 'member');
      choose.type = 'button';
      choose.setAttribute('aria-label', `Moderate ${m.name}`);
      choose.setAttribute('aria-haspopup', 'dialog');
      choose.addEventListener('click', () => pick(person));
      choose.append(name);
      li.append(choose);
    } else li.append(name);
    showFingerprint(name, people.fingerprint(m.name, m.userId));
    return li;
  };
  const render = () => {
    const shown = [...members.values()].sort(byName);
    ui.presence.hidden = count === null;
    ui.presenceCount.textContent = count === null ? '' : `${count.toLocaleString('en')} here`;
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
    snapshot(
      total: number,
      listed: readonly { name: string; userId: string | null }[],
      hasMore: boolean,
    ) {
      count = total;
      members = new Map();
      for (const { name, userId } of listed) {
        people.saw(name, userId);
        members.set(keyOf(name, userId), { name, userId, connections: 1 });
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
    /** A big room's count (its people are not sent). */
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
