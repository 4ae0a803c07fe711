// Names can repeat: anyone may connect as "alice". The page knows people by their public
// `userId`, and shows a short fingerprint of it beside a name only when that name is used by
// more than one of the people it has seen in the room (members, arrivals, senders, moderators).

import { el } from './dom.js';

const SHORTEST = 4;

/** Shows `print` right after the node showing a name (or removes the one shown, for ''). */
export const showFingerprint = (nameNode: Element, print: string) => {
  const next = nameNode.nextElementSibling;
  const shown = next?.classList.contains('fingerprint') ? (next as HTMLElement) : null;
  if (!print) return shown?.remove();
  const mark = shown ?? el('span', 'fingerprint');
  mark.textContent = print;
  mark.title = 'Someone else here uses this name too: this is the start of this person’s id';
  if (!shown) nameNode.after(mark);
};

/**
 * The room's people as this page has seen them, by name. `ambiguous` is called when a name
 * starts to need fingerprints (a second person uses it), so what is shown can be redrawn.
 */
export const createPeople = (ambiguous: () => void) => {
  let byName = new Map<string, Set<string>>();
  let nameById = new Map<string, string>();

  return {
    /** Someone called `name` was seen with this id (nothing is learned without one). */
    saw(name: string, userId: string | undefined | null) {
      if (!userId) return;
      nameById.set(userId, name);
      let ids = byName.get(name);
      if (!ids) {
        ids = new Set();
        byName.set(name, ids);
      }
      if (ids.has(userId)) return;
      ids.add(userId);
      if (ids.size === 2) ambiguous();
    },
    /**
     * What to show beside `name` for this person: '' while one person uses it, else the start of
     * their id, long enough to tell them from the others of that name.
     */
    fingerprint(name: string, userId: string | undefined | null) {
      const ids = byName.get(name);
      if (!userId || !ids || ids.size < 2) return '';
      let length = SHORTEST;
      const others = [...ids].filter((id) => id !== userId);
      while (length < userId.length && others.some((id) => id.startsWith(userId.slice(0, length))))
        length++;
      return userId.slice(0, length);
    },
    /** The name this person was last seen with, if they were. */
    nameOf: (userId: string) => nameById.get(userId),
    /** Forgets everyone (leaving the room). */
    clear() {
      byName = new Map();
      nameById = new Map();
    },
  };
};

/** The people one page has seen in its room. */
export type People = ReturnType<typeof createPeople>;
