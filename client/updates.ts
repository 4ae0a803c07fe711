import type { Entry, MessageLog } from './message-log.js';
import type { ChatMessage, Update } from './wire.js';

/** What applying updates needs of the rest of the page. */
export interface UpdateParts {
  log: MessageLog;
  /** A shown message's state changed: show it again. */
  changed: (entry: Entry) => void;
}

/** The state an update leaves its message in; a deletion keeps nothing of the text. */
const updated = (m: ChatMessage, u: Update): ChatMessage => {
  if (!u.deleted) return { ...m, text: u.text, editedAt: u.editedAt };
  const { editedAt: _, ...rest } = m;
  return { ...rest, text: '', deleted: true, deletedAt: u.deletedAt };
};

/** Whether `m` arrived in a later state than what is shown of it. */
const newer = (shown: ChatMessage, m: ChatMessage) =>
  m.deleted === true || (m.editedAt !== undefined && (shown.editedAt ?? '') < m.editedAt);

/**
 * Applies edits and deletions to the messages shown: each update's seq counts as resolved, and
 * per message only an update newer than the last one applied changes it (updates can arrive out
 * of order, live and in history pages); a deletion is final. An update for a message not shown
 * yet waits for it (an older page may bring it).
 */
export const createUpdates = ({ log, changed }: UpdateParts) => {
  let applied = new Map<number, number>();
  let waiting = new Map<number, Update>();

  const change = (entry: Entry, m: ChatMessage) => {
    entry.m = m;
    changed(entry);
  };

  return {
    /** Applies an update (or keeps it for its message) and resolves its seq. */
    apply(u: Update) {
      log.updated(u.seq);
      if ((applied.get(u.target) ?? 0) >= u.seq) return;
      const entry = log.get(u.target);
      if (!entry) {
        const before = waiting.get(u.target);
        if (!before?.deleted && (before?.seq ?? 0) < u.seq) waiting.set(u.target, u);
        return;
      }
      applied.set(u.target, u.seq);
      if (!entry.m.deleted) change(entry, updated(entry.m, u));
    },
    /** A message is shown for the first time: an update seen before it applies if newer. */
    shown(entry: Entry) {
      const u = waiting.get(entry.m.seq);
      if (!u) return;
      waiting.delete(entry.m.seq);
      applied.set(entry.m.seq, u.seq);
      if (entry.m.deleted) return;
      if (u.deleted || (entry.m.editedAt ?? '') < u.editedAt) change(entry, updated(entry.m, u));
    },
    /** A message shown already arrived again, in the state it had when read: the newer state wins. */
    again(entry: Entry, m: ChatMessage) {
      if (!entry.m.deleted && newer(entry.m, m)) change(entry, { ...m });
    },
    /** Forgets everything (leaving the room). */
    clear() {
      applied = new Map();
      waiting = new Map();
    },
  };
};

/** The updates of one page's log. */
export type Updates = ReturnType<typeof createUpdates>;
