import { type Ledger, sentText } from './ledger.js';
import type { SoakClient } from './soak-client.js';

/** How long a sender waits for an acknowledgement before it sends the same thing again. */
const ACK_TIMEOUT_MS = 3_000;

/** One request in this many (sends, edits and deletions alike) loses its first acknowledgement. */
const LOSE_ACK_EVERY = 4;

/** An edit or deletion of an earlier message, due once `at` messages of this sender are sent. */
interface Planned {
  at: number;
  seq: number;
  verb: 'edit' | 'delete';
  text?: string;
}

/**
 * What a sender does to its own message number `n` (at `seq`) later: every 5th is edited once,
 * every 10th twice, every 7th deleted (so every 35th is edited, then deleted), a few messages
 * later each, with other sends in between.
 */
const plan = (n: number, seq: number, text: string): Planned[] => [
  ...(n % 5 === 0 ? [{ at: n + 1, seq, verb: 'edit' as const, text: `${text}, edited` }] : []),
  ...(n % 10 === 0
    ? [{ at: n + 2, seq, verb: 'edit' as const, text: `${text}, edited twice` }]
    : []),
  ...(n % 7 === 0 ? [{ at: n + 4, seq, verb: 'delete' as const }] : []),
];

/**
 * Sends `count` messages with ids, and edits and deletes some of them, each retried on a timeout
 * (after reconnecting if the connection dropped) until acknowledged or past `deadline`.
 */
export const runSender = async (
  client: SoakClient,
  count: number,
  ledger: Ledger,
  deadline: number,
) => {
  let requests = 0;
  /**
   * Retries `act` until it is acknowledged; undefined when the deadline passed first. Every
   * `LOSE_ACK_EVERY`th request loses its first acknowledgement to a drop, so the retries of
   * sends, edits and deletes that the server had acted on are exercised however calm the run.
   */
  const untilAcknowledged = async (act: (loseAck: boolean) => Promise<number>) => {
    let loseAck = ++requests % LOSE_ACK_EVERY === 0;
    if (loseAck) ledger.acksLost++;
    for (;;) {
      if (Date.now() > deadline) return undefined;
      if (!client.open) await client.connect();
      try {
        return await act(loseAck);
      } catch {
        ledger.retries++;
        loseAck = false;
      }
    }
  };
  const update = async ({ seq, verb, text }: Planned) => {
    const done = await untilAcknowledged((loseAck) => {
      ledger.sent(client.room, seq, verb, text);
      return verb === 'edit'
        ? client.edit(seq, text ?? '', ACK_TIMEOUT_MS, loseAck)
        : client.delete(seq, ACK_TIMEOUT_MS, loseAck);
    });
    if (done !== undefined) ledger.acknowledged(client.room, seq, verb);
  };
  let due: Planned[] = [];
  for (let n = 0; n < count; n++) {
    const id = `${client.name}-${n}`;
    const text = sentText(id);
    const seq = await untilAcknowledged((loseAck) =>
      client.send(id, text, ACK_TIMEOUT_MS, loseAck),
    );
    if (seq === undefined) return;
    ledger.accepted.set(id, { room: client.room, seq });
    due.push(...plan(n, seq, text));
    for (const planned of due.filter(({ at }) => at <= n)) await update(planned);
    due = due.filter(({ at }) => at > n);
  }
  for (const planned of due) await update(planned);
};
