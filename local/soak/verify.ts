import type { MessagePage, Store } from '../../src/store/index.js';
import { idInText, type Ledger } from './ledger.js';
import type { MessageView } from './room-view.js';
import type { SoakClient } from './soak-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every seq of each room resolved (a message, an update or a tombstone), every accepted id
 * stored once, every acknowledged deletion and edit in the log, no more update events than
 * frames asking for them, every client's view equal to the log's current state, and no client
 * holding an id it did not send.
 */
export const verify = async (
  store: Store,
  clients: SoakClient[],
  ledger: Ledger,
  rooms: number,
) => {
  const problems: string[] = [];
  let skippedSeqs = 0;
  for (let r = 0; r < rooms; r++) {
    const room = `soak-${r}`;
    const page = await store.readAfter(room, 0, 1_000_000);
    skippedSeqs += page.skipped.length;
    problems.push(
      ...(await unresolved(store, room, page)),
      ...storedOnce(room, page, ledger),
      ...updatesStored(room, page, ledger),
      ...viewsDiffering(
        room,
        page,
        clients.filter((client) => client.room === room),
      ),
    );
  }
  return { problems, skippedSeqs };
};

const unresolved = async (store: Store, room: string, page: MessagePage) => {
  const resolved = new Set([
    ...page.messages.map((m) => m.seq),
    ...page.skipped,
    ...(page.updates ?? []).map((u) => u.seq),
  ]);
  const problems: string[] = [];
  for (let seq = 1; seq <= (await store.lastSeq(room)); seq++) {
    if (!resolved.has(seq))
      problems.push(`${room}: seq ${seq} is neither a message, an update nor skipped`);
  }
  return problems;
};

/**
 * Every accepted id stored once: the seq its author was acknowledged holds a message, and no
 * other message of the room was stored for it. Reads of the log carry no ids (an id goes back to
 * its author only), so a message is known by the id its text names. A deletion empties the text,
 * but only the acknowledged seq is ever edited or deleted: a second copy keeps the text it was
 * sent with, naming its id.
 */
export const storedOnce = (room: string, { messages }: MessagePage, ledger: Ledger) => {
  const problems: string[] = [];
  const named = new Set<string>();
  for (const { seq, text } of messages) {
    const id = idInText(text);
    if (id === undefined) continue;
    // A copy other than the acknowledged one (or, for a send never acknowledged, than the first).
    const acknowledged = ledger.accepted.get(id)?.seq;
    const copy = acknowledged === undefined ? named.has(id) : acknowledged !== seq;
    if (copy) problems.push(`${room}: id ${id} is stored twice (again at seq ${seq})`);
    named.add(id);
  }
  const seqs = new Set(messages.map((m) => m.seq));
  for (const [id, { room: inRoom, seq }] of ledger.accepted) {
    if (inRoom === room && !seqs.has(seq))
      problems.push(`${room}: accepted id ${id} is not stored (its seq ${seq} holds no message)`);
  }
  return problems;
};

/**
 * Acknowledged deletions are deletions with their text gone, acknowledged edits are there (or
 * deleted since) with a text their author sent, and a message has no more update events than
 * edit frames and one deletion sent for it: a retried deletion stores nothing.
 */
const updatesStored = (room: string, page: MessagePage, ledger: Ledger) => {
  const problems: string[] = [];
  const bySeq = new Map(page.messages.map((message) => [message.seq, message]));
  for (const [inRoom, seq] of ledger.deletions()) {
    const message = bySeq.get(seq);
    if (inRoom === room && !(message?.deleted && message.text === ''))
      problems.push(`${room}: message ${seq}'s deletion was acknowledged, the log shows it`);
  }
  const events = new Map<number, number>();
  for (const update of page.updates ?? [])
    events.set(update.target, (events.get(update.target) ?? 0) + 1);
  for (const message of page.messages) {
    const { seq } = message;
    if (ledger.wasEdited(room, seq) && message.editedAt === undefined && !message.deleted)
      problems.push(`${room}: message ${seq}'s edit was acknowledged, the log shows none`);
    if (message.editedAt !== undefined && !message.deleted) {
      if (!ledger.editTextsOf(room, seq).includes(message.text))
        problems.push(`${room}: message ${seq} reads "${message.text}", never sent as its edit`);
    }
    const stored = events.get(seq) ?? 0;
    if (stored > ledger.updatesAllowed(room, seq))
      problems.push(`${room}: message ${seq} has ${stored} updates stored, more than were sent`);
  }
  return problems;
};

/**
 * Each client's view (and the updates it resolved) against the log's current state, ids aside:
 * a view holds an id only where its client was acknowledged its own send, and must hold no other.
 */
const viewsDiffering = (room: string, page: MessagePage, clients: SoakClient[]) => {
  const problems: string[] = [];
  const shown = (seq: number, view: MessageView) =>
    JSON.stringify([seq, view.text, view.deleted === true]);
  const expected = page.messages.map((message) => shown(message.seq, message));
  const updates = JSON.stringify((page.updates ?? []).map((u) => u.seq));
  for (const client of clients) {
    const view = client.view.shown().map(([seq, message]) => shown(seq, message));
    const differs = view.findIndex((entry, n) => entry !== expected[n]);
    if (differs >= 0 || view.length !== expected.length) {
      problems.push(
        `${client.name} in ${room}: sees ${view.length} messages, the log has ${expected.length}` +
          (differs >= 0
            ? `; it shows ${view[differs]} where the log has ${expected[differs]}`
            : ''),
      );
    }
    if (JSON.stringify([...client.view.updateSeqs].sort((a, b) => a - b)) !== updates)
      problems.push(`${client.name} in ${room}: resolved other update seqs than the log holds`);
    problems.push(...othersIds(client));
  }
  return problems;
};

/** The ids in a client's view that are not its own (a sender's ids are `<its name>-<n>`). */
const othersIds = (client: SoakClient) =>
  client.view
    .shown()
    .filter(([, { id }]) => id !== undefined && !id.startsWith(`${client.name}-`))
    .map(([seq, { id }]) => `${client.name} in ${client.room}: got message ${seq}'s id ${id}`);

/** After every client has gone, no membership may be left behind (so no connection either). */
export const leftoverMembers = async (store: Store, rooms: number) => {
  const problems: string[] = [];
  // Every close's `$disconnect` is in flight now: give them a bounded while to finish.
  const deadline = Date.now() + 15_000;
  for (let r = 0; r < rooms; r++) {
    let left: string[] = [];
    do {
      left = [];
      for await (const page of store.listMembers(`soak-${r}`))
        left.push(...page.map((m) => m.connectionId));
      if (left.length > 0) await sleep(200);
    } while (left.length > 0 && Date.now() < deadline);
    if (left.length > 0) {
      problems.push(
        `soak-${r}: ${left.length} connections left after every client closed: ${left.join(' ')}`,
      );
    }
  }
  return problems;
};
