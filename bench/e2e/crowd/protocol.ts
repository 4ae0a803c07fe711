/** What the bench asks of the crowd process (real `ws` clients), and what each request answers. */

/** Rooms to fill, and how many members each gets. */
export interface RoomSpec {
  room: string;
  count: number;
}

export interface JoinRequest {
  type: 'join';
  /** WebSocket base URL, e.g. `ws://127.0.0.1:3001`. */
  url: string;
  /** A name for these clients, to address them later. */
  group: string;
  rooms: RoomSpec[];
  /** Connections opened at once, and the cap on new connections per second (API Gateway: 500). */
  batch: number;
  perSecond: number;
  /** Count a client as joined once its replay (`history` frame) arrived, not at `open`. */
  awaitReplay: boolean;
}

export interface JoinResult {
  connected: number;
  failed: number;
  seconds: number;
  firstError?: string;
}

export interface FanoutRequest {
  type: 'fanout';
  group: string;
  room: string;
  /** Messages sent first and not measured. */
  warmup: number;
  messages: number;
  gapMs: number;
  timeoutMs: number;
}

/** Milliseconds from the send, per measured message. */
export interface FanoutResult {
  members: number;
  /** Until the last member had it: the figure that matters. */
  last: number[];
  first: number[];
  /** Until the sender had its own message back (its acknowledgement). */
  ack: number[];
  /** Member deliveries that never arrived before the timeout. */
  missing: number;
}

export interface ThroughputRequest {
  type: 'throughput';
  group: string;
  sendersPerRoom: number;
  durationMs: number;
  /** How long to wait, after the last send, for every member to have every message. */
  drainMs: number;
}

export interface ThroughputResult {
  rooms: number;
  members: number;
  senders: number;
  /** Messages the server accepted (the sender got its echo). */
  accepted: number;
  /** Sends answered with an error frame, or never answered. */
  failed: number;
  errors: Record<string, number>;
  expectedFrames: number;
  deliveredFrames: number;
  /** From the first send to the last send's echo, and to the last delivery. */
  sendSeconds: number;
  totalSeconds: number;
  /** Send to the sender's own echo, ms. */
  ackMs: number[];
}

export interface BurstRequest {
  type: 'burst';
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

/** Milliseconds from the release; `null` where it never happened before the timeout. */
export interface BurstResult {
  members: number;
  senders: number;
  messages: number;
  /** Ids acknowledged: their sender got its own message back. */
  accepted: number;
  /** Until every sender had all of its ids back. */
  allAckedMs: number | null;
  /** Per sender that had all of its ids back: until its last one. */
  senderAckMs: number[];
  /** Until every accepted message had reached at least one member (about when all were stored). */
  storedMs: number | null;
  /** Until the last delivery to any member. */
  deliveredMs: number | null;
  /** Error frames by code (`gateway` for API Gateway's own), on the first send and in all. */
  firstTryErrors: Record<string, number>;
  errors: Record<string, number>;
  /** Member deliveries of accepted messages that never arrived. */
  missing: number;
}

export interface ReplayRequest {
  type: 'replay';
  url: string;
  room: string;
  since?: number;
  /** Messages the replay must bring. */
  expect: number;
  runs: number;
}

/** Milliseconds from creating the socket, per run. */
export interface ReplayResult {
  open: number[];
  done: number[];
  frames: number[];
  incomplete: number;
}

export interface FloodRequest {
  type: 'flood';
  url: string;
  room: string;
  /** New connect-and-drop clients per second, for `durationMs`. */
  perSecond: number;
  durationMs: number;
}

export interface FloodResult {
  attempted: number;
  opened: number;
  refused: number;
  seconds: number;
}

export interface CloseRequest {
  type: 'close';
  group: string;
  /** Closes started per second (many people do not all leave in the same instant). */
  perSecond?: number;
}

export interface CloseResult {
  closed: number;
  seconds: number;
}

/** Frames no measurement claimed since the last ask (error codes, gateway errors); resets them. */
export interface StraysRequest {
  type: 'strays';
}

export type CrowdRequest =
  | JoinRequest
  | FanoutRequest
  | ThroughputRequest
  | BurstRequest
  | ReplayRequest
  | FloodRequest
  | CloseRequest
  | StraysRequest;

/** The answer type of each request type. */
export interface CrowdResults {
  join: JoinResult;
  fanout: FanoutResult;
  throughput: ThroughputResult;
  burst: BurstResult;
  replay: ReplayResult;
  flood: FloodResult;
  close: CloseResult;
  strays: Record<string, number>;
}

/** One request or answer on the IPC channel. */
export type Envelope =
  | { id: number; request: CrowdRequest }
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };
