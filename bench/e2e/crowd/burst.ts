import {
  drain,
  keyOf,
  listeners,
  type Member,
  membersOf,
  missingDeliveries,
  sentText,
} from './clients.js';

/** client.html's ceiling on the wait before it sends a failed message again. */
const MAX_RETRY_MS = 8_000;

/** One sender: its ids, those not yet acknowledged, and the answers its last round still owes. */
interface Sender {
  member: Member;
  ids: Set<string>;
  unacked: Set<string>;
  due: number;
  round: number;
}

const tally = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

export interface BurstRequest {
  group: string;
  room: string;
  /** The room's first `senders` members send, all released at the same instant. */
  senders: number;
  /** Messages each sender fires at once, without waiting for the first to come back. */
  messagesPerSender: number;
  /** Wait before re-sending an id that got an error; doubled each round, at most 8 s. */
  retryMs: number;
  /** Gives up on ids still not acknowledged after this long. */
  timeoutMs: number;
  /** How long to wait, after the last acknowledgement, for every member to have every message. */
  drainMs: number;
}

/**
 * Many members of one room send at the same instant, each `messagesPerSender` messages at once,
 * and behave like client.html: every send answers with the sender's own message (its ack) or an
 * error frame, which carries no id; so when a round's answers are all in, the ids not acknowledged
 * are the ones that failed, and the sender sends them again (same ids) after a growing pause.
 * Answers in ms from the release (`null`: never, before the timeout): until every sender had all
 * its ids back, per sender, until every accepted message reached someone (about when all were
 * stored) and until the last delivery; error frames by code (`gateway` for API Gateway's own) on
 * the first send and in all; member deliveries of accepted messages that never arrived.
 */
export const burst = async (request: BurstRequest) => {
  const members = membersOf(request.group, request.room);
  for (const member of members) member.got.clear();
  const run = Date.now().toString(36);
  const senders = new Map<Member, Sender>(
    members.slice(0, request.senders).map((member, s) => {
      const ids = Array.from({ length: request.messagesPerSender }, (_, n) => `${run}-${s}-${n}`);
      return [member, { member, ids: new Set(ids), unacked: new Set(ids), due: 0, round: 0 }];
    }),
  );
  const accepted = new Set<string>();
  const firstArrival = new Map<string, number>();
  const senderAckMs: number[] = [];
  const firstTryErrors: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const retries = new Set<NodeJS.Timeout>();
  let lastDelivery = Number.NaN;
  let waiting = senders.size;
  const allAcked = Promise.withResolvers<void>();

  const send = (sender: Sender) => {
    sender.round++;
    sender.due = sender.unacked.size;
    for (const id of sender.unacked) {
      const message = sentText('burst', id);
      sender.member.ws.send(JSON.stringify({ action: 'sendmessage', message, id }));
    }
  };
  const answered = (sender: Sender) => {
    if (--sender.due > 0 || sender.unacked.size === 0) return;
    const wait = Math.min(MAX_RETRY_MS, request.retryMs * 2 ** (sender.round - 1));
    const retry = setTimeout(() => {
      retries.delete(retry);
      send(sender);
    }, wait);
    retries.add(retry);
  };
  listeners.message = (member, frame) => {
    const key = keyOf(frame);
    if (key === undefined) return;
    const now = performance.now();
    member.got.add(key);
    lastDelivery = now;
    if (!firstArrival.has(key)) firstArrival.set(key, now);
    // An acknowledgement: the sender's own frame, the only one that carries the id.
    const sender = senders.get(member);
    if (frame.id === undefined || !sender?.ids.has(frame.id)) return;
    if (sender.unacked.delete(frame.id)) {
      accepted.add(frame.id);
      if (sender.unacked.size === 0) {
        senderAckMs.push(now - released);
        if (--waiting === 0) allAcked.resolve();
      }
    }
    answered(sender);
  };
  listeners.error = (member, frame) => {
    const sender = senders.get(member);
    if (!sender) return;
    tally(errors, frame.code ?? 'unknown');
    if (sender.round === 1) tally(firstTryErrors, frame.code ?? 'unknown');
    answered(sender);
  };

  const released = performance.now();
  for (const sender of senders.values()) send(sender);
  const timeout = setTimeout(allAcked.resolve, request.timeoutMs);
  await allAcked.promise;
  clearTimeout(timeout);
  for (const retry of retries) clearTimeout(retry);
  const allAckedMs = waiting === 0 ? Math.max(...senderAckMs) : null;
  const missing = await drain(() => missingDeliveries(members, accepted), request.drainMs);
  listeners.message = undefined;
  listeners.error = undefined;

  const stored = [...accepted].map((id) => (firstArrival.get(id) ?? Number.NaN) - released);
  return {
    members: members.length,
    senders: senders.size,
    messages: senders.size * request.messagesPerSender,
    accepted: accepted.size,
    allAckedMs,
    senderAckMs,
    storedMs: stored.length > 0 ? Math.max(...stored) : null,
    deliveredMs: Number.isNaN(lastDelivery) ? null : lastDelivery - released,
    firstTryErrors,
    errors,
    missing,
  };
};
