import { ui } from './dom.js';
import { messageElement, showBody } from './message-element.js';
import type { Entry, MessageLog } from './message-log.js';
import { regroup } from './message-runs.js';
import { type People, showFingerprint } from './people.js';
import { itemAfter, restoreAnchor, scrollAnchor } from './scroll-place.js';
import { isOwnMessage, type Session } from './session.js';
import type { ChatMessage } from './wire.js';

/** What the timeline needs to know of the rest of the page. */
export interface TimelineParts {
  log: MessageLog;
  session: Session;
  people: People;
  older: { readonly exhausted: boolean; readonly inFlight: boolean };
  /** Settles a sent message whose echo arrived (by the sender's id). */
  delivered: (id: string) => void;
  /** Whether this page sent the message with this id. */
  isOwn: (id: string) => boolean;
  /** A message was shown for the first time, or arrived again (maybe in a newer state). */
  shown: (entry: Entry) => void;
  again: (entry: Entry, m: ChatMessage) => void;
  /** Someone else's message arrived live (not history, not caught up, not this user's). */
  arrived: (m: ChatMessage) => void;
  /** Whose a shown message is (or what this page may do with it) may have changed. */
  restyled: (entry: Entry) => void;
}

/**
 * The message list on screen: inserts messages in seq order, groups them, keeps the reader's
 * place (the bottom, or the message at the top) and counts what arrived out of sight.
 */
export const createTimeline = (parts: TimelineParts) => {
  const { log, session, people, older, delivered, isOwn } = parts;
  let atBottom = true;
  let unseen = 0;
  let hiddenUnread = 0;
  /** The seq the screen reader was last told about. */
  let announced = 0;
  /** Within `apply`, which keeps the reader's place itself. */
  let applying = false;

  const ownedHere = (m: ChatMessage) =>
    isOwnMessage(session, m, typeof m.id === 'string' && isOwn(m.id));
  const showSender = (entry: Entry) => {
    const name = entry.li.querySelector('.sender');
    if (name) showFingerprint(name, people.fingerprint(entry.m.sender, entry.m.userId));
  };
  const scrollToBottom = () => {
    ui.log.scrollTop = ui.log.scrollHeight;
    atBottom = true;
    unseen = 0;
    ui.newPill.hidden = true;
  };
  const updateTitle = () => {
    const base = session.joined ? `#${session.room} · Chat` : 'Chat';
    document.title = hiddenUnread > 0 ? `(${hiddenUnread}) ${base}` : base;
  };
  const announce = (m: ChatMessage) => {
    announced = m.seq;
    ui.announcer.textContent = `${m.sender}: ${m.text.slice(0, 200)}`;
  };
  const renderTopNow = () => {
    const empty = log.seqs.length === 0;
    ui.beginning.textContent = empty
      ? `No messages in #${session.room} yet. Say hello!`
      : `This is the beginning of #${session.room}.`;
    ui.beginning.hidden = !older.exhausted;
    ui.loadingOlder.hidden = !older.inFlight;
    ui.loadOlder.hidden = older.exhausted || older.inFlight || empty;
  };

  return {
    get atBottom() {
      return atBottom;
    },
    scrollToBottom,
    updateTitle,
    /** Shows the top of the log (load older, loading, the beginning) where the reader was. */
    renderTop() {
      const stick = atBottom;
      const anchor = stick ? null : scrollAnchor(log);
      renderTopNow();
      if (stick) scrollToBottom();
      else restoreAnchor(anchor);
    },
    /** Shows messages not shown yet; `live` ones (not history) are announced and counted. */
    apply(list: readonly ChatMessage[], live: boolean) {
      if (list.length === 0) return;
      const stick = atBottom;
      const anchor = stick ? null : scrollAnchor(log);
      const previousHighest = log.seqs.at(-1) ?? 0;
      const touched: Entry[] = [];
      let arrivedBelow = 0;
      let ownArrived = false;
      applying = true;
      for (const arrived of list) {
        // A deleted message's text is '' on the wire; nothing else is kept either way.
        const m = arrived.deleted ? { ...arrived, text: '' } : arrived;
        if (typeof m.id === 'string') delivered(m.id);
        const known = log.get(m.seq);
        if (known) {
          parts.again(known, m);
          continue;
        }
        const sentHere = typeof m.id === 'string' && isOwn(m.id);
        people.saw(m.sender, m.userId);
        const own = ownedHere(m);
        const entry: Entry = { m, own, li: messageElement(m, own) };
        entry.li.dataset.seq = String(m.seq);
        showSender(entry);
        log.add(entry);
        ui.messages.insertBefore(entry.li, itemAfter(m.seq));
        touched.push(entry);
        parts.shown(entry);
        if (m.seq > previousHighest) {
          if (sentHere) ownArrived = true;
          else arrivedBelow++;
          if (live && !sentHere && !m.deleted) {
            announce(m);
            if (!own) parts.arrived(m);
          }
        }
      }
      applying = false;
      for (const entry of touched) {
        regroup(log, entry);
        regroup(log, log.besides(entry.m.seq, 1));
      }
      if (touched.length) renderTopNow();
      if (stick || ownArrived) scrollToBottom();
      else restoreAnchor(anchor);
      if (!stick && !ownArrived && arrivedBelow > 0) {
        unseen += arrivedBelow;
        ui.newPill.textContent = `${unseen} new message${unseen === 1 ? '' : 's'} ↓`;
        ui.newPill.hidden = false;
      }
      if (document.hidden && arrivedBelow > 0 && live) {
        hiddenUnread += arrivedBelow;
        updateTitle();
      }
    },
    /** A shown message was edited or deleted: shows its state where the reader was. */
    changed(entry: Entry) {
      const stick = atBottom && !applying;
      const anchor = stick || applying ? null : scrollAnchor(log);
      showBody(entry.li, entry.m);
      if (entry.m.deleted && announced === entry.m.seq) ui.announcer.textContent = '';
      if (stick) scrollToBottom();
      else if (!applying) restoreAnchor(anchor);
    },
    /** Shows a line that is not a message (a moderation event) in its place among them. */
    line(li: HTMLLIElement, seq: number) {
      const stick = atBottom;
      const anchor = stick ? null : scrollAnchor(log);
      li.dataset.seq = String(seq);
      ui.messages.insertBefore(li, itemAfter(seq));
      // The message after it starts a new run.
      regroup(log, log.get(log.seqs[log.insertionIndex(seq)]));
      if (stick) scrollToBottom();
      else restoreAnchor(anchor);
    },
    /** Who this page is became known (or changed): whose each shown message is, again. */
    reown() {
      for (const seq of log.seqs) {
        const entry = log.get(seq);
        if (!entry) continue;
        entry.own = ownedHere(entry.m);
        entry.li.classList.toggle('own', entry.own);
        parts.restyled(entry);
      }
      for (const seq of log.seqs) regroup(log, log.get(seq));
    },
    /** A name came to need fingerprints (or no longer does): shows each sender's again. */
    renames() {
      for (const seq of log.seqs) {
        const entry = log.get(seq);
        if (entry) showSender(entry);
      }
    },
    /** The reader scrolled: at the bottom, nothing is unseen any more. */
    scrolled() {
      atBottom = ui.log.scrollHeight - ui.log.scrollTop - ui.log.clientHeight < 48;
      if (atBottom) {
        unseen = 0;
        ui.newPill.hidden = true;
      }
    },
    /** The page is visible again (or a room joined): its title counts nothing unread. */
    seen() {
      hiddenUnread = 0;
      updateTitle();
    },
    /** Empties the list (leaving the room). */
    clear() {
      unseen = 0;
      announced = 0;
      ui.announcer.textContent = '';
      ui.messages.replaceChildren();
      ui.newPill.hidden = true;
    },
  };
};

/** The message list of one page. */
export type Timeline = ReturnType<typeof createTimeline>;
