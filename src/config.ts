import type { OriginSettings } from './auth/allowed-origins.js';
import { parseModeratorKeys } from './auth/moderators.js';
import { originList } from './auth/origin-list.js';
import { type ReviewSettings, readReviewSettings } from './outbound/review-settings.js';
import type { PepperSettings, SecretSettings } from './outbound/secret-parameters.js';
import type { Rate } from './store/index.js';

/** Default members per fan-out invocation (FANOUT_MEMBERS_PER_WORKER). */
export const FANOUT_MEMBERS_PER_WORKER = 500;

/**
 * Default BATCH_WINDOW_MS: a message within this long of the start of its room's last delivery
 * waits for the window's end and goes out with the others of the window, in one frame per member.
 */
export const BATCH_WINDOW_MS = 50;

/** What each budget allows (docs/security.md#budgets); a limit that is absent is off. */
export interface Limits {
  /** Frames per connection: every message, request, and frame the chat cannot use. */
  connection: Rate;
  /** Messages a connection may read from the log with `history`. */
  history: Rate;
  /**
   * Write units per room, over all its senders' messages, edits and deletions: what they cost
   * the room's partition (see `src/store/dynamo/write-units.ts`); a short message with an id is 5.
   */
  room?: Rate | undefined;
  /**
   * `@connections` posts a second one room's events (and, apart, its typing) may ask for: an
   * event to N members costs at least N of them, so a bigger room sends less. Only with `room`.
   */
  roomPosts?: number | undefined;
  /** The fraction of a room's rate and of its typing rate one network may use (IPv6 by /56). */
  roomShare?: number | undefined;
  /** Frames per source network (an IPv4 address or an IPv6 /64), over all its connections. */
  sourceFrames?: Rate | undefined;
  /** New connections per source network. */
  sourceConnects?: Rate | undefined;
  /** Messages per source network read from logs, by history requests and replays alike. */
  sourceHistory?: Rate | undefined;
  /** `typing` broadcasts per connection (one per `TYPING_INTERVAL_MS`); absent: coalescing off. */
  typing?: Rate | undefined;
  /** `typing` broadcasts per room, over all its typists. */
  roomTyping?: Rate | undefined;
  /** Sockets one source network may hold open at once. */
  sourceSockets?: number | undefined;
  /** Members one room may hold at once. */
  roomMembers?: number | undefined;
  /** Cutting off a connection that floods, and blocking its network; absent: never. */
  flood?: FloodRule | undefined;
}

/**
 * A connection whose own budgets refuse `refusedBursts` times its frame burst within one
 * refusal window (its frame budget's refill time, 1-60 s) is disconnected, and its network
 * refused new connections for `block` (docs/security.md#budgets).
 */
export interface FloodRule {
  refusedBursts: number;
  /** The first block, doubled per offence within a day, at most `maxMs`; absent: no block. */
  block?: { firstMs: number; maxMs: number } | undefined;
}

/** The defaults of `FloodRule`: ABUSE_REFUSED_BURSTS, ABUSE_BLOCK_SECONDS, ABUSE_BLOCK_MAX_SECONDS. */
export const FLOOD_DEFAULTS = { refusedBursts: 3, blockSeconds: 30, blockMaxSeconds: 900 } as const;

/**
 * Default sockets per network: an office of a few hundred people behind one NAT, each with a
 * tab or two open, fits; one address can no longer fill a room with thousands of sockets.
 */
export const SOURCE_SOCKETS_MAX = 500;
/** Default members per room: every message to a full room is 5,000 posts. */
export const ROOM_MEMBERS_MAX = 5_000;

/**
 * The defaults of the room's rates: 250 write units a second is 50 short messages with ids (5
 * each: the claim and a two-item transaction) and a quarter of the room's partition (1,000 a
 * second), and its burst and a second's rate still leave a quarter. 2,500 posts a second is a
 * quarter of the account's 10,000 `@connections` requests. A fifth of a room per network: it
 * takes five networks sending flat out to fill a room, and three leave two fifths to the rest.
 */
export const ROOM_DEFAULTS = {
  rate: { perSecond: 250, burst: 500 },
  postsPerSecond: 2_500,
  share: 0.2,
} as const;

/** How a room hears of its members (docs/protocol.md#presence-and-typing). */
export interface PresenceSettings {
  /** A room with at most this many connections gets `join`/`leave` notices; a bigger one counts. */
  noticesUpTo: number;
  /** Notices per room; beyond it a small room gets coalesced `presence` snapshots. Absent: off. */
  noticeRate: Rate | undefined;
  /** At most one coalesced update per room per interval, and how old a cached count may get. */
  occupancyIntervalMs: number;
  /** A typist's indicator lasts twice this; `typing` broadcasts per connection at most one per. */
  typingIntervalMs: number;
}

/** The defaults of `PresenceSettings` (and of the typing rates in `Limits`). */
export const PRESENCE_DEFAULTS = {
  noticesUpTo: 100,
  noticeRate: { perSecond: 5, burst: 20 },
  occupancyIntervalMs: 5_000,
  typingIntervalMs: 3_000,
  roomTyping: { perSecond: 2, burst: 5 },
} as const;

/** The function's configuration, from its environment (set by `infra/` on AWS, the emulator locally). */
export interface Config {
  tableName: string;
  /** Base URL of the `@connections` API: the stage's callback URL. */
  callbackUrl: string;
  /** This function's own name, for the replay self-invoke. Lambda sets it. */
  functionName: string;
  /** Posts in flight at once during a broadcast. */
  broadcastConcurrency: number;
  /**
   * Members one invocation posts a message to; a bigger room's fan-out is split across
   * invocations of this function. Undefined: never split.
   */
  fanoutMembersPerWorker: number | undefined;
  /**
   * Batched delivery (docs/protocol.md#busy-rooms-messages-in-batches): the window of a busy room's
   * batches, in ms. Undefined: off, every message is posted to its room by its own invocation.
   */
  batchWindowMs: number | undefined;
  limits: Limits;
  presence: PresenceSettings;
  /** Optional `$connect` gates (docs/security.md#who-may-connect). */
  auth: AuthConfig;
  /** The message review hook (`REVIEW_*`, see `createReviewer`); undefined: no review. */
  review: ReviewSettings | undefined;
  /** The deployment's stage (`STAGE`, default `local`): the metrics' `stage` dimension. */
  stage: string;
  /** Whether the handler writes its metrics (`METRICS=off`: not; see src/metrics/). */
  metrics: boolean;
}

/** Where the `$connect` secrets come from, what a JWT must carry, and which origins may connect. */
export interface AuthConfig extends SecretSettings, PepperSettings, OriginSettings {
  jwtAudience: string | undefined;
  jwtIssuer: string | undefined;
  allowedOrigins: string[];
  allowedOriginsParameter: string | undefined;
  /**
   * `MODERATOR_KEYS`: comma-separated keys (base64url of 32 bytes, as a page offers its key)
   * whose connections may moderate every room, in open mode and with the shared secret.
   */
  moderatorKeys: string[];
}

export const readConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  const required = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`environment variable ${name} is not set`);
    return value;
  };
  const positive = (name: string, fallback: number) => {
    const value = Number(env[name] ?? fallback);
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  /** A whole number of at least 0 (a setting for which 0 means something). */
  const wholeOrZero = (name: string, fallback: number) => {
    const value = Number(env[name]?.trim() || fallback);
    return Number.isInteger(value) && value >= 0 ? value : fallback;
  };
  /** A rate from `<name>` (per second, or per minute) and its burst; `<name>=0` turns it off. */
  const rate = (
    name: string,
    burstName: string,
    [rate, burst]: [number, number],
    perMinute = false,
  ) => {
    if (env[name]?.trim() === '0') return undefined;
    const per = positive(name, rate);
    return {
      perSecond: perMinute ? per / 60 : per,
      burst: Math.max(1, Math.floor(positive(burstName, burst))),
    };
  };
  /** A positive number, or off at `0`. */
  const orOff = (name: string, fallback: number) =>
    env[name]?.trim() === '0' ? undefined : positive(name, fallback);
  /** A fraction above 0 and at most 1, or off at `0`. */
  const fraction = (name: string, fallback: number) => {
    const value = orOff(name, fallback);
    return value === undefined || value <= 1 ? value : fallback;
  };
  const typingIntervalMs = wholeOrZero('TYPING_INTERVAL_MS', PRESENCE_DEFAULTS.typingIntervalMs);
  const refusedBursts = wholeOrZero('ABUSE_REFUSED_BURSTS', FLOOD_DEFAULTS.refusedBursts);
  const blockSeconds = wholeOrZero('ABUSE_BLOCK_SECONDS', FLOOD_DEFAULTS.blockSeconds);
  const blockMaxSeconds = Math.max(
    blockSeconds,
    wholeOrZero('ABUSE_BLOCK_MAX_SECONDS', FLOOD_DEFAULTS.blockMaxSeconds),
  );
  return {
    tableName: required('TABLE_NAME'),
    callbackUrl: required('CALLBACK_URL'),
    functionName: required('AWS_LAMBDA_FUNCTION_NAME'),
    stage: env.STAGE?.trim() || 'local',
    metrics: metricsSwitch(env.METRICS),
    broadcastConcurrency: Math.floor(positive('BROADCAST_CONCURRENCY', 50)),
    fanoutMembersPerWorker:
      env.FANOUT_MEMBERS_PER_WORKER?.trim() === '0'
        ? undefined
        : Math.floor(positive('FANOUT_MEMBERS_PER_WORKER', FANOUT_MEMBERS_PER_WORKER)),
    batchWindowMs: orOff('BATCH_WINDOW_MS', BATCH_WINDOW_MS),
    limits: {
      connection: {
        perSecond: positive('RATE_LIMIT_PER_SECOND', 5),
        burst: Math.floor(positive('RATE_LIMIT_BURST', 20)),
      },
      history: {
        perSecond: positive('HISTORY_PER_MINUTE', 600) / 60,
        // Room for one request of the largest page, whatever the setting.
        burst: Math.max(100, Math.floor(positive('HISTORY_BURST', 300))),
      },
      room: rate('ROOM_RATE_PER_SECOND', 'ROOM_RATE_BURST', [
        ROOM_DEFAULTS.rate.perSecond,
        ROOM_DEFAULTS.rate.burst,
      ]),
      roomPosts: orOff('ROOM_POSTS_PER_SECOND', ROOM_DEFAULTS.postsPerSecond),
      roomShare: fraction('ROOM_NETWORK_SHARE', ROOM_DEFAULTS.share),
      sourceFrames: rate('SOURCE_RATE_PER_SECOND', 'SOURCE_RATE_BURST', [20, 100]),
      sourceConnects: rate('SOURCE_CONNECTS_PER_MINUTE', 'SOURCE_CONNECT_BURST', [60, 30], true),
      // Room for one whole resume (1,000 messages) at once.
      sourceHistory: rate(
        'SOURCE_HISTORY_PER_MINUTE',
        'SOURCE_HISTORY_BURST',
        [3_000, 1_000],
        true,
      ),
      typing: typingIntervalMs > 0 ? { perSecond: 1000 / typingIntervalMs, burst: 1 } : undefined,
      roomTyping: rate('ROOM_TYPING_PER_SECOND', 'ROOM_TYPING_BURST', [
        PRESENCE_DEFAULTS.roomTyping.perSecond,
        PRESENCE_DEFAULTS.roomTyping.burst,
      ]),
      sourceSockets: wholeOrZero('SOURCE_SOCKETS_MAX', SOURCE_SOCKETS_MAX) || undefined,
      roomMembers: wholeOrZero('ROOM_MEMBERS_MAX', ROOM_MEMBERS_MAX) || undefined,
      flood:
        refusedBursts > 0
          ? {
              refusedBursts,
              block:
                blockSeconds > 0
                  ? { firstMs: blockSeconds * 1000, maxMs: blockMaxSeconds * 1000 }
                  : undefined,
            }
          : undefined,
    },
    presence: {
      noticesUpTo: wholeOrZero('PRESENCE_NOTICES_UP_TO', PRESENCE_DEFAULTS.noticesUpTo),
      noticeRate: rate('PRESENCE_NOTICE_RATE_PER_SECOND', 'PRESENCE_NOTICE_BURST', [
        PRESENCE_DEFAULTS.noticeRate.perSecond,
        PRESENCE_DEFAULTS.noticeRate.burst,
      ]),
      occupancyIntervalMs: Math.floor(
        positive('OCCUPANCY_INTERVAL_MS', PRESENCE_DEFAULTS.occupancyIntervalMs),
      ),
      typingIntervalMs,
    },
    auth: readAuthConfig(env),
    review: readReviewSettings(env),
  };
};

/**
 * CONNECT_SECRET / CONNECT_JWT_SECRET / PEPPER hold a secret's value (for local use);
 * CONNECT_SECRET_PARAMETER / CONNECT_JWT_SECRET_PARAMETER / PEPPER_PARAMETER the name of an SSM
 * SecureString parameter holding it. Setting both for one secret is an error: which should win
 * is a guess. Without either, the store keeps a pepper of its own in the table.
 */
export const readAuthConfig = (env: NodeJS.ProcessEnv): AuthConfig => {
  const secret = (value: string, parameter: string) => {
    if (env[value] && env[parameter]) throw new Error(`set ${value} or ${parameter}, not both`);
    return [env[value] || undefined, env[parameter] || undefined] as const;
  };
  const [sharedSecret, sharedSecretParameter] = secret(
    'CONNECT_SECRET',
    'CONNECT_SECRET_PARAMETER',
  );
  const [jwtSecret, jwtSecretParameter] = secret(
    'CONNECT_JWT_SECRET',
    'CONNECT_JWT_SECRET_PARAMETER',
  );
  const [pepper, pepperParameter] = secret('PEPPER', 'PEPPER_PARAMETER');
  return {
    sharedSecret,
    sharedSecretParameter,
    jwtSecret,
    jwtSecretParameter,
    pepper,
    pepperParameter,
    jwtAudience: env.CONNECT_JWT_AUDIENCE || undefined,
    jwtIssuer: env.CONNECT_JWT_ISSUER || undefined,
    allowedOrigins: originList(env.ALLOWED_ORIGINS),
    allowedOriginsParameter: env.ALLOWED_ORIGINS_PARAMETER || undefined,
    moderatorKeys: parseModeratorKeys(env.MODERATOR_KEYS),
  };
};

/** `METRICS`: on unless `off`; anything but `on` or `off` is a mistake worth stopping for. */
const metricsSwitch = (value: string | undefined) => {
  const given = value?.trim().toLowerCase() || 'on';
  if (given !== 'on' && given !== 'off')
    throw new Error(`METRICS must be "on" or "off", not "${value}"`);
  return given === 'on';
};
