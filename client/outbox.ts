import type { Connection } from './connection.js';
import { ui } from './dom.js';
import { type PendingActions, pendingItem, showPendingState } from './pending-item.js';
import { saved, savedList } from './saved.js';
import { roomKey, type Session } from './session.js';

const ACK_TIMEOUT_MS = 10000;

/** A message typed here and not yet delivered (its echo is its acknowledgement). */
export interface Pending {
  id: string;
  text: string;
  status: 'queued' | 'sending' | 'failed';
  attempts: number;
  waitUntil: number;
  timer: number;
  shown: { li: HTMLLIElement; state: HTMLSpanElement } | null;
  error: string;
}

/** What the outbox needs of the rest of the page. */
export interface OutboxParts {
  session: Session;
  live: () => Connection | null;
}

const newId = () => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
};

const queued = (id: string, text: string): Pending => ({
  id,
  text,
  status: 'queued',
  attempts: 0,
  waitUntil: 0,
  timer: 0,
  shown: null,
  error: '',
});

/**
 * Messages typed here, sent one at a time in the order typed, each with an id so a retry is
 * stored once; kept in localStorage (with the ids of this page's own messages) until delivered.
 */
export const createOutbox = ({ session, live }: OutboxParts) => {
  let pending: Pending[] = [];
  let ownIds = new Set<string>();

  const save = () => {
    saved.set(
      roomKey(session, 'pending'),
      pending.map(({ id, text }) => ({ id, text })),
    );
  };
  const saveOwnIds = () => {
    saved.set(roomKey(session, 'own'), [...ownIds].slice(-500));
  };
  const actions: PendingActions = {
    retry(p) {
      p.status = 'queued';
      p.attempts = 0;
      renderState(p);
      pump();
    },
    remove(p) {
      pending.splice(pending.indexOf(p), 1);
      p.shown?.li.remove();
      save();
      ui.input.focus();
    },
  };
  const renderState = (p: Pending) => showPendingState(p, live()?.open === true, actions);
  const show = (p: Pending) => {
    p.shown = pendingItem(p, session.name);
    ui.pending.append(p.shown.li);
    renderState(p);
  };
  const requeue = (p: Pending, delay: number) => {
    clearTimeout(p.timer);
    p.status = 'queued';
    p.waitUntil = Date.now() + delay;
    if (delay > 0) p.timer = setTimeout(pump, delay);
    renderState(p);
  };
  const pump = () => {
    // One message in flight at a time: the room sees them in the order they were typed, and an
    // error frame can only be about the message in flight.
    const conn = live();
    if (!conn?.open) return;
    const head = pending.find((p) => p.status !== 'failed');
    if (!head || head.status === 'sending' || head.waitUntil > Date.now()) return;
    head.status = 'sending';
    head.attempts++;
    conn.send({ action: 'sendmessage', message: head.text, id: head.id });
    // No echo in time: send again with the same id; the server stores it only once.
    head.timer = setTimeout(() => {
      if (head.status === 'sending') {
        requeue(head, 0);
        pump();
      }
    }, ACK_TIMEOUT_MS);
    renderState(head);
  };

  return {
    pump,
    requeue,
    /** Gives up on a message until the user retries it, saying why. */
    fail(p: Pending, error: string) {
      clearTimeout(p.timer);
      p.status = 'failed';
      p.error = error;
      renderState(p);
      queueMicrotask(pump);
    },
    /** The message in flight, which an error frame is about. */
    sending: () => pending.find((p) => p.status === 'sending'),
    /** The undelivered message with this id, if any. */
    find: (id: string) => pending.find((p) => p.id === id),
    /** Queues a message typed now (`pump` sends it when its turn comes). */
    add(text: string) {
      const p = queued(newId(), text);
      ownIds.add(p.id);
      saveOwnIds();
      pending.push(p);
      save();
      show(p);
    },
    /** Its echo arrived: the message is delivered. */
    delivered(id: string) {
      const index = pending.findIndex((item) => item.id === id);
      if (index < 0) return;
      const [p] = pending.splice(index, 1);
      if (!p) return;
      clearTimeout(p.timer);
      p.shown?.li.remove();
      save();
      queueMicrotask(pump);
    },
    isOwn: (id: string) => ownIds.has(id),
    /** The connection dropped: what was in flight goes again on the next one. */
    dropped() {
      for (const p of pending) if (p.status === 'sending') requeue(p, 0);
    },
    /** Shows each message's state again (the connection's changed). */
    render() {
      for (const p of pending) renderState(p);
    },
    /** Loads the room's own ids and undelivered messages, as saved on this browser. */
    load() {
      ownIds = new Set(savedList(roomKey(session, 'own')).filter((id) => typeof id === 'string'));
      pending = [];
      for (const item of savedList(roomKey(session, 'pending'))) {
        const { id, text } = (item ?? {}) as { id?: unknown; text?: unknown };
        if (typeof id !== 'string' || typeof text !== 'string') continue;
        const p = queued(id, text);
        pending.push(p);
        show(p);
      }
    },
    /** Forgets the room's messages (leaving it); they stay saved. */
    clear() {
      for (const p of pending) clearTimeout(p.timer);
      pending = [];
      ui.pending.replaceChildren();
    },
  };
};

/** The outbox of one page. */
export type Outbox = ReturnType<typeof createOutbox>;
