import type { Store } from '../../src/store/index.js';
import { SoakClient } from './soak-client.js';
import { leftoverMembers, verify } from './verify.js';

export interface SoakOptions {
  wsUrl: string;
  store: Store;
  rooms: number;
  clients: number;
  /** Messages sent in all, spread over the senders. */
  messages: number;
  senders: number;
  /** Connections dropped per second across all clients while the senders run. */
  dropsPerSecond: number;
  /** The whole soak gives up after this long. */
  deadlineMs: number;
}

export interface SoakReport {
  rooms: number;
  clients: number;
  messagesAccepted: number;
  sendRetries: number;
  drops: number;
  reconnects: number;
  /** Seqs that ended as tombstones (claimed, never written): resolved, not lost. */
  skippedSeqs: number;
  seconds: number;
  /** Every problem found; empty when nothing was lost, duplicated or left behind. */
  problems: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Clients across rooms connect, drop abruptly and resume with `since` while senders send with
 * ids and retry on timeouts. Then every seq of every room's log must be resolved (a message or
 * a tombstone), every id stored once, every client's view equal to its room's log. Bounded by `deadlineMs`; stops by itself.
 */
export const soak = async (options: SoakOptions): Promise<SoakReport> => {
  const started = Date.now();
  const deadline = started + options.deadlineMs;
  const clients = Array.from(
    { length: options.clients },
    (_, n) => new SoakClient(options.wsUrl, `soak-${n % options.rooms}`, `c${n}`),
  );
  for (let i = 0; i < clients.length; i += 50) {
    await Promise.all(clients.slice(i, i + 50).map((client) => client.connect()));
  }
  let retries = 0;
  let drops = 0;
  const accepted = new Map<string, string>();
  const senders = clients.slice(0, options.senders);
  const perSender = Math.ceil(options.messages / options.senders);
  const sending = senders.map(async (client, s) => {
    for (let n = 0; n < perSender && s * perSender + n < options.messages; n++) {
      const id = `${client.name}-${n}`;
      for (;;) {
        if (Date.now() > deadline) return;
        if (!client.open) await client.connect();
        try {
          await client.send(id, `message ${n} from ${client.name}`, 3_000);
          accepted.set(id, client.room);
          break;
        } catch {
          retries++;
        }
      }
    }
  });
  let running = true;
  const churn = (async () => {
    while (running) {
      await sleep(100);
      for (let d = 0; d < options.dropsPerSecond / 10; d++) {
        const victim = clients[Math.floor(Math.random() * clients.length)] as SoakClient;
        victim.kill();
        drops++;
        setTimeout(() => void victim.connect(), Math.random() * 300);
      }
    }
  })();
  await Promise.all(sending);
  running = false;
  await churn;
  // Everyone catches up the way a real client would: resume with since.
  await sleep(500);
  for (const client of clients) {
    client.kill();
    await client.connect();
  }
  const { problems, skippedSeqs } = await verify(options.store, clients, accepted, options.rooms);
  for (const client of clients) client.kill();
  problems.push(...(await leftoverMembers(options.store, options.rooms)));
  return {
    rooms: options.rooms,
    clients: options.clients,
    messagesAccepted: accepted.size,
    sendRetries: retries,
    drops,
    reconnects: drops + clients.reduce((sum, c) => sum + c.reconnects, 0),
    skippedSeqs,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    problems:
      accepted.size < options.messages
        ? [`only ${accepted.size} of ${options.messages} sent before the deadline`, ...problems]
        : problems,
  };
};
