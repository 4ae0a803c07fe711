import { WebSocket } from 'ws';
import { messagesOf } from '../../../local/message-frames.js';

/** A frame as the chat (or the floor server) sends it; only the fields the bench reads. */
export interface Frame {
  type?: string;
  /** A message's client id: on its author's own frame (its acknowledgement) only. */
  id?: string;
  seq?: number;
  /** A message's text: the bench's messages name their key in it (`sentText`). */
  text?: string;
  code?: string;
  message?: string;
  messages?: unknown[];
  hasMore?: boolean;
  /** Who joined, left or types (`join`, `leave`, `typing`). */
  name?: string;
  /** The room's count (`presence`, `join`, `leave`, `occupancy`). */
  count?: number;
}

/** The frames that tell a room who is in it and who types: never strays, counted by type. */
const PRESENCE_TYPES = new Set(['presence', 'join', 'leave', 'occupancy', 'typing']);

/** One connected client. */
export interface Member {
  ws: WebSocket;
  room: string;
  name: string;
  /**
   * Frames received since the last `takeCounts`, by type (`typing-self`: a `typing` frame
   * about this member's own name, which the chat must never send).
   */
  counts: Record<string, number>;
  /**
   * Frames that brought messages live (`message`, the sender's acknowledgements included, and
   * `messages`) and the messages they brought, since it connected: frames per message received.
   */
  deliveries: { frames: number; messages: number };
  /** Keys of the messages this member has received (`keyOf`), or the last one (fan-out). */
  got: Set<string>;
  lastId?: string;
  /** Called with each `history` frame while someone waits for the replay. */
  onHistory?: ((frame: Frame) => void) | undefined;
  /**
   * Sees every message this member receives, beside the measurement's listeners: `live` (a
   * `message` frame, or one of a `messages` batch) or `replay` (one of a `history` frame's).
   */
  tap?: ((message: Frame, how: 'live' | 'replay') => void) | undefined;
}

/**
 * The text of a bench message sent under `key` (also its client id): its words, then `msg <key>`.
 * Every member gets a message's text, but only its author gets its id back (the chat sends it
 * nobody else), so a delivery is known by the key its text names, alike on the chat, the seeds'
 * handler and the floor.
 */
export const sentText = (words: string, key: string) => `${words} msg ${key}`;

/** The key a message's text names (`sentText`); undefined for a message the bench did not send. */
export const keyOf = (message: Frame) => / msg (\S+)$/.exec(message.text ?? '')?.[1];

/** Where frames go: the measurement running now sets these. */
export const listeners: {
  message?: ((member: Member, frame: Frame) => void) | undefined;
  presence?: ((member: Member, frame: Frame) => void) | undefined;
  error?: ((member: Member, frame: Frame) => void) | undefined;
} = {};

/** Frames no listener claimed: error codes, gateway errors, garbage. */
const strays: Record<string, number> = {};

const count = (key: string) => {
  strays[key] = (strays[key] ?? 0) + 1;
};

/** The frames no measurement claimed since the last ask; starts counting afresh. */
export const takeStrays = () => {
  const counts = { ...strays };
  for (const key of Object.keys(strays)) delete strays[key];
  return counts;
};

const onFrame = (member: Member, text: string) => {
  let frame: Frame;
  try {
    frame = JSON.parse(text) as Frame;
  } catch {
    return count('not-json');
  }
  const type = frame.type ?? 'untyped';
  member.counts[type] = (member.counts[type] ?? 0) + 1;
  if (type === 'typing' && frame.name === member.name) {
    member.counts['typing-self'] = (member.counts['typing-self'] ?? 0) + 1;
  }
  if (PRESENCE_TYPES.has(type)) return listeners.presence?.(member, frame);
  // Who the connection is: the first frame of every connection, counted by type only.
  if (type === 'session') return;
  // A busy room's batch (docs/protocol.md#busy-rooms-messages-in-batches): each of its messages
  // counts as a `message` frame.
  if (type === 'message' || type === 'messages') {
    const messages = messagesOf(frame);
    member.deliveries.frames++;
    member.deliveries.messages += messages.length;
    for (const message of messages) live(member, message);
    return;
  }
  if (frame.type === 'history') {
    for (const message of (frame.messages ?? []) as Frame[]) member.tap?.(message, 'replay');
    return member.onHistory?.(frame);
  }
  if (frame.type === 'error') {
    count(`error:${frame.code}`);
    return listeners.error?.(member, frame);
  }
  const code = GATEWAY_ERRORS.get(String(frame.message));
  if (!code) return count('unknown-frame');
  count(code === 'gateway' ? 'gateway-internal-error' : `gateway-${code}`);
  return listeners.error?.(member, { ...frame, code });
};

const live = (member: Member, message: Frame) => {
  member.tap?.(message, 'live');
  listeners.message?.(member, message);
};

/**
 * API Gateway's own frames on a message route, by the code the bench files them under:
 * `gateway` when the integration failed (the handler threw or timed out; as client.html calls
 * it), `throttled` when the invocation was refused for concurrency (Lambda's throttle; AWS frames
 * that as an internal error too, an emulator may say so).
 */
export const GATEWAY_ERRORS = new Map<string, 'gateway' | 'throttled'>([
  ['Internal server error', 'gateway'],
  ['Too Many Requests', 'throttled'],
]);

const OPEN_TIMEOUT_MS = 60_000;

/**
 * Where a client connects: its room and name, `since` to resume after a seq, and `from`, a local
 * address to connect from (another loopback address is another source network to the chat).
 */
export interface Address {
  url: string;
  room: string;
  name: string;
  since?: number | undefined;
  from?: string | undefined;
}

/** How a client connects; `timeoutMs` gives up on the handshake (and the replay, if awaited). */
export interface ConnectOptions {
  awaitReplay?: boolean;
  onHistory?: Member['onHistory'];
  tap?: Member['tap'];
  timeoutMs?: number;
}

/**
 * The bench's one WebSocket client. Resolves at `open`, or with `awaitReplay` once its first
 * `history` frame arrived; `onHistory` sees every `history` frame from the first.
 */
export const connect = (
  { url, room, name, since, from }: Address,
  { awaitReplay = false, onHistory, tap, timeoutMs = OPEN_TIMEOUT_MS }: ConnectOptions,
) =>
  new Promise<Member>((resolve, reject) => {
    const resume = since === undefined ? '' : `&since=${since}`;
    const ws = new WebSocket(`${url}/?room=${room}&name=${name}${resume}`, {
      perMessageDeflate: false,
      ...(from === undefined ? {} : { localAddress: from }),
    });
    const deliveries = { frames: 0, messages: 0 };
    const member: Member = {
      ws,
      room,
      name,
      counts: {},
      deliveries,
      got: new Set(),
      onHistory,
      tap,
    };
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(member);
    };
    ws.on('message', (data) => onFrame(member, String(data)));
    ws.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    if (!awaitReplay) ws.once('open', done);
    else {
      member.onHistory = (frame) => {
        member.onHistory = onHistory;
        onHistory?.(frame);
        done();
      };
    }
  });

/** Closes a client (normal closure) and resolves once it is closed, forcibly after 10 s. */
export const hangUp = (member: Member) =>
  new Promise<void>((resolve) => {
    if (member.ws.readyState === WebSocket.CLOSED) return resolve();
    member.ws.once('close', () => resolve());
    member.ws.close(1000);
    setTimeout(() => member.ws.terminate(), 10_000).unref();
  });

/** Group name, then room, then its members in join order (the first is the sender). */
export const groups = new Map<string, Map<string, Member[]>>();

export const membersOf = (group: string, room?: string): Member[] => {
  const rooms = groups.get(group);
  if (!rooms) throw new Error(`no group ${group}`);
  return room === undefined ? [...rooms.values()].flat() : (rooms.get(room) ?? []);
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds one to `counts[key]`. */
export const tally = (counts: Record<string, number>, key: string) => {
  counts[key] = (counts[key] ?? 0) + 1;
};

/** Deliveries of `ids` that `members` have not received. */
export const missingDeliveries = (members: Member[], ids: Iterable<string>) => {
  let missing = 0;
  for (const id of ids) for (const member of members) if (!member.got.has(id)) missing++;
  return missing;
};

/** Waits until `missing()` is 0 or `ms` have passed; resolves with what is still missing. */
export const drain = async (missing: () => number, ms: number) => {
  const until = performance.now() + ms;
  let left = missing();
  while (left > 0 && performance.now() < until) {
    await sleep(50);
    left = missing();
  }
  return left;
};
