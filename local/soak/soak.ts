import type { Store } from '../../src/store/index.js';
import { Ledger } from './ledger.js';
import { runSender } from './sender.js';
import { SoakClient } from './soak-client.js';
import { leftoverMembers, verify } from './verify.js';

export interface SoakOptions {
  wsUrl: string;
  store: Store;
  rooms: number;
  clients: number;
  /** Messages sent in all, spread over the senders (who also edit and delete some of theirs). */
  messages: number;
  senders: number;
  /**
   * Clients (not senders) that send `typing` once a second while the senders run, never dropped:
   * more often than the browser does (every 2.5 s), so the server still drops most of them.
   */
  typists: number;
  /** Connections dropped per second across all clients (but typists) while the senders run. */
  dropsPerSecond: number;
  /** The whole soak gives up after this long. */
  deadlineMs: number;
}

export interface SoakReport {
  rooms: number;
  clients: number;
  messagesAccepted: number;
  /** Edits and deletions acknowledged to their authors. */
  edits: number;
  deletes: number;
  /** Sends, edits and deletions sent again after a timeout or a drop. */
  retries: number;
  /** Of which the first acknowledgement was lost on purpose (the sender dropped as it sent). */
  acksLost: number;
  typingSent: number;
  typingReceived: number;
  /** Error frames the clients received, by code. */
  errors: Record<string, number>;
  drops: number;
  reconnects: number;
  /** Connections that got no replay within 10 s and reconnected (slow cold starts do it). */
  replaysMissing: number;
  /** Seqs that ended as tombstones (claimed, never written): resolved, not lost. */
  skippedSeqs: number;
  seconds: number;
  /** Every problem found; empty when nothing was lost, duplicated or left behind. */
  problems: string[];
}

/** A `typing` frame from each typist this often. */
const KEYSTROKE_MS = 1_000;

const tally = (counts: Map<string, number>[]) => {
  const total: Record<string, number> = {};
  for (const [key, count] of counts.flatMap((map) => [...map]))
    total[key] = (total[key] ?? 0) + count;
  return total;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Clients across rooms connect, drop abruptly and resume with `since` while senders send with
 * ids, edit and delete some of their messages, retrying on timeouts, and typists type. Then every
 * seq of every room's log must be resolved (a message, an update or a tombstone), every id stored
 * once, every client's view equal to its room's log in current state, and no typing frame may
 * have reached its typist. Bounded by `deadlineMs`; stops by itself.
 */
export const soak = async (options: SoakOptions): Promise<SoakReport> => {
  const started = Date.now();
  const deadline = started + options.deadlineMs;
  const ledger = new Ledger();
  const clients = Array.from({ length: options.clients }, (_, n) => {
    const room = `soak-${n % options.rooms}`;
    return new SoakClient(options.wsUrl, room, `c${n}`, (seq) =>
      ledger.deletionAcknowledged(room, seq),
    );
  });
  for (let i = 0; i < clients.length; i += 50) {
    await Promise.all(clients.slice(i, i + 50).map((client) => client.connect()));
  }
  let drops = 0;
  const senders = clients.slice(0, options.senders);
  const typists = clients.slice(options.senders, options.senders + options.typists);
  const droppable = clients.filter((client) => !typists.includes(client));
  const perSender = Math.ceil(options.messages / options.senders);
  const sending = senders.map((client, s) =>
    runSender(client, Math.min(perSender, options.messages - s * perSender), ledger, deadline),
  );
  let running = true;
  const churn = (async () => {
    while (running) {
      await sleep(100);
      for (let d = 0; d < options.dropsPerSecond / 10; d++) {
        const victim = droppable[Math.floor(Math.random() * droppable.length)] as SoakClient;
        victim.kill();
        drops++;
        setTimeout(() => void victim.connect(), Math.random() * 300);
      }
    }
  })();
  const typing = (async () => {
    while (running) {
      await sleep(KEYSTROKE_MS);
      for (const typist of typists) typist.typing();
    }
  })();
  await Promise.all(sending);
  running = false;
  await Promise.all([churn, typing]);
  // Everyone catches up the way a real client would: resume with since.
  await sleep(500);
  for (const client of clients) {
    client.kill();
    await client.connect();
  }
  const { problems, skippedSeqs } = await verify(options.store, clients, ledger, options.rooms);
  for (const client of clients) client.kill();
  problems.push(...(await leftoverMembers(options.store, options.rooms)));
  const sum = (count: (client: SoakClient) => number) =>
    clients.reduce((total, client) => total + count(client), 0);
  problems.push(...clients.flatMap((client) => client.problems));
  const echoes = sum((client) => client.typingEchoes);
  if (echoes > 0) problems.push(`${echoes} typing frames reached their own typist`);
  return {
    rooms: options.rooms,
    clients: options.clients,
    messagesAccepted: ledger.accepted.size,
    edits: ledger.edits,
    deletes: ledger.deletes,
    retries: ledger.retries,
    acksLost: ledger.acksLost,
    typingSent: sum((client) => client.typingSent),
    typingReceived: sum((client) => client.typingReceived),
    errors: tally(clients.map((client) => client.errors)),
    drops,
    reconnects: drops + sum((client) => client.reconnects),
    replaysMissing: sum((client) => client.replaysMissing),
    skippedSeqs,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    problems:
      ledger.accepted.size < options.messages
        ? [
            `only ${ledger.accepted.size} of ${options.messages} sent before the deadline`,
            ...problems,
          ]
        : problems,
  };
};
