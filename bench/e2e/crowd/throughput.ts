import {
  drain,
  keyOf,
  listeners,
  type Member,
  membersOf,
  missingDeliveries,
  sentText,
} from './clients.js';

const ANSWER_TIMEOUT_MS = 30_000;

interface Waiting {
  id: string;
  settle: (outcome: string) => void;
}

export interface ThroughputRequest {
  group: string;
  sendersPerRoom: number;
  durationMs: number;
  /** How long to wait, after the last send, for every member to have every message. */
  drainMs: number;
  /**
   * Prefixes the message ids, to tell this run's apart from an earlier run's on the same clients
   * (a warm-up's): the server answers a repeated id to its sender alone, as a retry.
   */
  idPrefix?: string;
}

/**
 * Closed loop: each sender sends its next message as soon as its previous one came back to it
 * (its echo, or an error frame), until the time is up. Then waits until every member of every
 * room holds every accepted message, and counts what never arrived. `accepted` are the messages
 * whose sender got its echo (`ackMs` after sending); `failed` the sends answered with an error
 * frame or never; `sendSeconds` runs to the last echo, `totalSeconds` to the last delivery.
 */
export const throughput = async (request: ThroughputRequest) => {
  const rooms = [...new Set(membersOf(request.group).map((member) => member.room))];
  const accepted = new Map<string, Set<string>>(rooms.map((room) => [room, new Set()]));
  const waiting = new Map<Member, Waiting>();
  const errors: Record<string, number> = {};
  const ackMs: number[] = [];
  let failed = 0;
  let lastDelivery = 0;
  for (const member of membersOf(request.group)) member.got.clear();

  listeners.message = (member, frame) => {
    const key = keyOf(frame);
    if (key === undefined) return;
    member.got.add(key);
    lastDelivery = performance.now();
    // The sender's echo: its own frame, the only one that carries the id.
    const wait = waiting.get(member);
    if (wait !== undefined && frame.id === wait.id) wait.settle('ok');
  };
  listeners.error = (member, frame) => waiting.get(member)?.settle(`error:${frame.code}`);

  const send = (sender: Member, id: string) =>
    new Promise<string>((resolve) => {
      const timer = setTimeout(() => settle('timeout'), ANSWER_TIMEOUT_MS);
      const settle = (outcome: string) => {
        clearTimeout(timer);
        waiting.delete(sender);
        resolve(outcome);
      };
      waiting.set(sender, { id, settle });
      sender.ws.send(JSON.stringify({ action: 'sendmessage', message: sentText('load', id), id }));
    });

  const started = performance.now();
  const deadline = started + request.durationMs;
  const loop = async (room: string, sender: Member, s: number) => {
    for (let n = 0; performance.now() < deadline; n++) {
      const id = `${request.idPrefix ?? ''}${room}-s${s}-${n}`;
      const sentAt = performance.now();
      const outcome = await send(sender, id);
      if (outcome === 'ok') {
        accepted.get(room)?.add(id);
        ackMs.push(performance.now() - sentAt);
      } else {
        failed++;
        errors[outcome] = (errors[outcome] ?? 0) + 1;
      }
    }
  };
  const senders = rooms.flatMap((room) =>
    membersOf(request.group, room)
      .slice(0, request.sendersPerRoom)
      .map((sender, s) => loop(room, sender, s)),
  );
  await Promise.all(senders);
  const sendSeconds = (performance.now() - started) / 1000;

  const missingFrames = () =>
    rooms.reduce(
      (sum, room) =>
        sum + missingDeliveries(membersOf(request.group, room), accepted.get(room) ?? []),
      0,
    );
  const missing = await drain(missingFrames, request.drainMs);
  listeners.message = undefined;
  listeners.error = undefined;

  const members = membersOf(request.group);
  const expectedFrames = rooms.reduce(
    (sum, room) => sum + (accepted.get(room)?.size ?? 0) * membersOf(request.group, room).length,
    0,
  );
  return {
    rooms: rooms.length,
    members: members.length,
    senders: senders.length,
    accepted: [...accepted.values()].reduce((sum, ids) => sum + ids.size, 0),
    failed,
    errors,
    expectedFrames,
    deliveredFrames: expectedFrames - missing,
    sendSeconds,
    totalSeconds: (Math.max(lastDelivery, started) - started) / 1000,
    ackMs,
  };
};
