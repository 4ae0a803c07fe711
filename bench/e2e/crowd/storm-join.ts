import {
  connect,
  drain,
  groups,
  keyOf,
  listeners,
  type Member,
  sentText,
  tally,
} from './clients.js';

export interface JoinStormRequest {
  url: string;
  room: string;
  /** The name to close these clients by afterwards (`close`). */
  group: string;
  clients: number;
  /** Connections opened at once; the next batch starts when this one's sockets are open. */
  batch: number;
  /** Messages one more member sends one after another once the storm is over. */
  messages: number;
  /** How long a handshake may take before the client gives up (and counts as refused). */
  openTimeoutMs: number;
  /** How long the sender waits for each message's acknowledgement before sending the next. */
  ackTimeoutMs: number;
  /** After the last send, how long every open member has to receive every message. */
  deadlineMs: number;
}

/** A refused or failed handshake, by what the client saw (`ws` says the HTTP status). */
const refusal = (reason: unknown) => {
  const text = String(reason instanceof Error ? reason.message : reason);
  return /Unexpected server response: (\d+)/.exec(text)?.[1] ?? text.slice(0, 60);
};

/**
 * A join storm: `clients` connect to one room in batches, each batch at once, then one more
 * member sends `messages` one after another (each once acknowledged, or given up on). Answers
 * how the storm went (ms, refusals by HTTP status) and, of the clients still open, the deaf ones
 * (none of the messages that reached anyone), the partly deaf, the deliveries missing, the
 * server's closes, and ms from the first send until every open member had every message.
 */
export const joinStorm = async (request: JoinStormRequest) => {
  const refused: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const joiners: Member[] = [];
  const closedBy: Record<string, number> = {};
  listeners.error = (_member, frame) => tally(errors, frame.code ?? 'unknown');
  const started = performance.now();
  for (let first = 0; first < request.clients; first += request.batch) {
    const size = Math.min(request.batch, request.clients - first);
    const batch = Array.from({ length: size }, (_, i) =>
      connect(
        { url: request.url, room: request.room, name: `joiner-${first + i}` },
        { timeoutMs: request.openTimeoutMs },
      ),
    );
    for (const outcome of await Promise.allSettled(batch)) {
      if (outcome.status === 'rejected') tally(refused, refusal(outcome.reason));
      else {
        joiners.push(outcome.value);
        outcome.value.ws.once('close', (code) => tally(closedBy, String(code)));
      }
    }
  }
  const stormMs = performance.now() - started;

  const ids = Array.from({ length: request.messages }, (_, n) => `join-storm-${n}`);
  let lastArrival = Number.NaN;
  listeners.message = (member, frame) => {
    const key = keyOf(frame);
    if (key === undefined || !ids.includes(key)) return;
    member.got.add(key);
    lastArrival = performance.now();
  };
  const sender = await connect(
    { url: request.url, room: request.room, name: 'announcer' },
    { awaitReplay: true, timeoutMs: request.openTimeoutMs },
  ).catch((error: unknown) => String(error));
  groups.set(request.group, new Map([[request.room, [...joiners]]]));
  if (typeof sender === 'string') {
    listeners.message = listeners.error = undefined;
    return { clients: request.clients, opened: joiners.length, refused, stormMs, sender };
  }
  groups.get(request.group)?.get(request.room)?.push(sender);

  const firstSend = performance.now();
  for (const id of ids) {
    const errorsBefore = Object.values(errors).reduce((sum, n) => sum + n, 0);
    const answered = () =>
      sender.got.has(id) || Object.values(errors).reduce((sum, n) => sum + n, 0) > errorsBefore;
    sender.ws.send(JSON.stringify({ action: 'sendmessage', message: sentText('storm', id), id }));
    await drain(() => (answered() ? 0 : 1), request.ackTimeoutMs);
  }
  const open = () => joiners.filter((member) => member.ws.readyState === member.ws.OPEN);
  // A message nobody received was not stored (its send failed): it cannot make anyone deaf.
  const reached = () => ids.filter((id) => [sender, ...joiners].some((m) => m.got.has(id)));
  const missing = () => {
    const stored = reached();
    return open().reduce((sum, m) => sum + stored.filter((id) => !m.got.has(id)).length, 0);
  };
  const left = await drain(missing, request.deadlineMs);
  listeners.message = listeners.error = undefined;

  const stillOpen = open();
  const stored = reached();
  const got = (member: Member) => stored.filter((id) => member.got.has(id)).length;
  return {
    clients: request.clients,
    opened: joiners.length,
    refused,
    stormMs,
    stored: stored.length,
    open: stillOpen.length,
    deaf: stored.length === 0 ? 0 : stillOpen.filter((m) => got(m) === 0).length,
    partlyDeaf: stillOpen.filter((m) => got(m) > 0 && got(m) < stored.length).length,
    missing: left,
    closedBy,
    deliveredMs: left === 0 && stored.length > 0 ? lastArrival - firstSend : null,
    errors,
  };
};
