import { el } from './dom.js';
import type { Person } from './moderation-event.js';
import { showFingerprint } from './people.js';

/** Someone in the room: by their id (or, from a server without ids, by name alone). */
export interface Member {
  userId: string | null;
  name: string;
  /** Their connections (tabs, devices) known here. */
  connections: number;
}

/** How one member is shown: as this page's own person, and pickable by a moderator. */
export interface ItemLook {
  me: boolean;
  /** The fingerprint to show beside the name ('' for none). */
  print: string;
  /** Given when a moderator may pick this member to act on. */
  pick: ((person: Person) => void) | null;
}

/** One entry of the list: the name (a button for a moderator), its fingerprint, its tabs. */
export const memberItem = (m: Member, { me, print, pick }: ItemLook) => {
  const li = el('li', me ? 'me' : '');
  const name = el('span', 'name', m.name);
  name.dir = 'auto';
  if (pick && m.userId !== null) {
    const person = { userId: m.userId, name: m.name };
    const choose = el('button', 'member');
    choose.type = 'button';
    choose.setAttribute('aria-label', `Moderate ${m.name}`);
    choose.setAttribute('aria-haspopup', 'dialog');
    choose.addEventListener('click', () => pick(person));
    choose.append(name);
    li.append(choose);
  } else li.append(name);
  showFingerprint(name, print);
  // Only where it helps: one tab is the rule, not news.
  if (m.connections > 1) li.append(el('span', 'tabs', ` (${m.connections} tabs)`));
  return li;
};
