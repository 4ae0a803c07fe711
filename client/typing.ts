import type { Connection } from './connection.js';
import { ui } from './dom.js';
import { type Session, sendingAllowed } from './session.js';

// How often this page says its user is typing (the server coalesces more anyway), and the
// longest an indicator is shown without a new frame, whatever a frame says.
const SEND_EVERY_MS = 2500;
const LONGEST_SHOWN_MS = 30000;

/** What the typing indicator needs of the rest of the page. */
export interface TypingParts {
  session: Session;
  live: () => Connection | null;
}

/** "alice is typing…", "alice and bob are typing…" or "several people are typing…". */
const sentence = (names: readonly string[]) => {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'several people are typing…';
};

/**
 * Typing both ways: tells the room while this page's user types (throttled), and shows who else
 * is typing, each name until its frame expires, its message arrives or it leaves.
 */
export const createTyping = ({ session, live }: TypingParts) => {
  const typists = new Map<string, number>();
  let sentAt = 0;

  const render = () => {
    const text = sentence([...typists.keys()]);
    if (ui.typing.textContent !== text) ui.typing.textContent = text;
    // A live region reads out every change, and frames come every few seconds while someone
    // types: a screen reader hears only that someone started, once, not each frame or name.
    if (!text) ui.typingNews.textContent = '';
    else if (!ui.typingNews.textContent) ui.typingNews.textContent = text;
  };
  const stopped = (name: string) => {
    if (!typists.has(name)) return;
    clearTimeout(typists.get(name));
    typists.delete(name);
    render();
  };

  return {
    /** The user typed in the composer: the room hears of it, at most every few seconds. */
    typed() {
      const conn = live();
      if (!ui.input.value.trim() || !conn?.replaySeen || Date.now() - sentAt < SEND_EVERY_MS)
        return;
      // The server drops typing from someone who may not send (muted, a read-only room).
      if (!sendingAllowed(session)) return;
      sentAt = Date.now();
      conn.send({ action: 'typing' });
    },
    /** Someone else is typing, for `expiresInMs` unless told again. */
    seen(name: string, userId: string | null, expiresInMs: number) {
      // This user's own typing (from another tab): by id, as someone else may share the name.
      if (
        userId !== null && session.userId !== null
          ? userId === session.userId
          : name === session.name
      )
        return;
      clearTimeout(typists.get(name));
      const shownFor = Math.min(LONGEST_SHOWN_MS, Math.max(0, expiresInMs));
      typists.set(
        name,
        setTimeout(() => stopped(name), shownFor),
      );
      render();
    },
    /** That name's message arrived, or it left. */
    stopped,
    /** Nobody is shown typing (the connection dropped, or the room was left). */
    clear() {
      for (const timer of typists.values()) clearTimeout(timer);
      typists.clear();
      render();
    },
  };
};

/** The typing indicator of one page. */
export type Typing = ReturnType<typeof createTyping>;
