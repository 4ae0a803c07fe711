import {
  drain,
  keyOf,
  listeners,
  type Member,
  membersOf,
  missingDeliveries,
  sentText,
  sleep,
  tally,
} from './clients.js';

export interface PacedRequest {
  group: string;
  room: string;
  /** The room's first `senders` members send. */
  senders: number;
  /** Messages a second from each sender, whatever the answers: an open loop, as people type. */
  perSecond: number;
  durationMs: number;
  /** How long to wait, after the last send, for every member to have every message. */
  drainMs: number;
  /** Prefixes the message ids, so a warm-up's ids are never taken for retries. */
  idPrefix: string;
}

/**
 * Open loop: the senders send at a steady pace, staggered so the room gets an even stream
 * (`senders` × `perSecond` a second), for `durationMs`, not waiting for answers; then every member
 * must have every accepted message. Times every delivery from its send, on this process's clock:
 * `deliveryMs` to the other members, `ackMs` to the author (its own `message` frame, with the id).
 * `duplicates` are messages a member received more than once; `missing` member deliveries of
 * accepted messages that never came; `frames` the message-carrying frames (`message`, `messages`)
 * every member received meanwhile, acknowledgements included.
 */
export const paced = async (request: PacedRequest) => {
  const members = membersOf(request.group, request.room);
  const senders = members.slice(0, request.senders);
  const sentAt = new Map<string, number>();
  const author = new Map<string, Member>();
  const accepted = new Set<string>();
  const errors: Record<string, number> = {};
  const deliveryMs: number[] = [];
  const ackMs: number[] = [];
  let duplicates = 0;
  let lastDelivery = Number.NaN;
  const framesBefore = members.map((member) => member.deliveries.frames);
  for (const member of members) member.got.clear();

  listeners.message = (member, frame) => {
    const key = keyOf(frame);
    const sent = key === undefined ? undefined : sentAt.get(key);
    if (key === undefined || sent === undefined) return;
    const now = performance.now();
    lastDelivery = now;
    if (member.got.has(key)) {
      duplicates++;
      return;
    }
    member.got.add(key);
    if (author.get(key) !== member) deliveryMs.push(now - sent);
    else if (frame.id === key) {
      accepted.add(key);
      ackMs.push(now - sent);
    }
  };
  listeners.error = (member, frame) => {
    if (senders.includes(member)) tally(errors, frame.code ?? 'unknown');
  };

  const interval = 1000 / (request.perSecond * senders.length);
  const count = Math.floor(request.durationMs / interval);
  const started = performance.now();
  for (let n = 0; n < count; n++) {
    await sleep(Math.max(0, started + n * interval - performance.now()));
    const sender = senders[n % senders.length] as Member;
    const key = `${request.idPrefix}-${n}`;
    sentAt.set(key, performance.now());
    author.set(key, sender);
    sender.ws.send(
      JSON.stringify({ action: 'sendmessage', message: sentText('paced', key), id: key }),
    );
  }
  const sendSeconds = (performance.now() - started) / 1000;
  // Until every send was answered (its acknowledgement or an error frame, which names no id) and
  // every member has every accepted message.
  const failed = () => Object.values(errors).reduce((sum, n) => sum + n, 0);
  const unanswered = () => Math.max(0, count - accepted.size - failed());
  await drain(() => unanswered() + missingDeliveries(members, accepted), request.drainMs);
  const missing = missingDeliveries(members, accepted);
  listeners.message = undefined;
  listeners.error = undefined;

  return {
    members: members.length,
    senders: senders.length,
    sent: count,
    accepted: accepted.size,
    errors,
    sendSeconds,
    /** From the first send to the last delivery. */
    totalSeconds: Number.isNaN(lastDelivery) ? sendSeconds : (lastDelivery - started) / 1000,
    deliveryMs,
    ackMs,
    duplicates,
    missing,
    frames: members.reduce(
      (sum, member, i) => sum + member.deliveries.frames - (framesBefore[i] ?? 0),
      0,
    ),
  };
};
