import type { OriginSettings } from './auth/allowed-origins.js';
import { originList } from './auth/origin-list.js';
import type { SecretSettings } from './outbound/secret-parameters.js';
import type { Rate } from './store/index.js';

/** Default members per fan-out invocation (FANOUT_MEMBERS_PER_WORKER). */
export const FANOUT_MEMBERS_PER_WORKER = 500;

/** What each budget allows (SPEC section 5); a limit that is absent is off. */
export interface Limits {
  /** Frames per connection: every message, request, and frame the chat cannot use. */
  connection: Rate;
  /** Messages a connection may read from the log with `history`. */
  history: Rate;
  /** Messages per room, over all its senders. */
  room?: Rate | undefined;
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
}

/** How a room hears of its members (README, Presence). */
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
  limits: Limits;
  presence: PresenceSettings;
  /** Optional `$connect` gates (README, Security). */
  auth: AuthConfig;
}

/** Where the `$connect` secrets come from, what a JWT must carry, and which origins may connect. */
export interface AuthConfig extends SecretSettings, OriginSettings {
  jwtAudience: string | undefined;
  jwtIssuer: string | undefined;
  allowedOrigins: string[];
  allowedOriginsParameter: string | undefined;
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
  const typingIntervalMs = wholeOrZero('TYPING_INTERVAL_MS', PRESENCE_DEFAULTS.typingIntervalMs);
  return {
    tableName: required('TABLE_NAME'),
    callbackUrl: required('CALLBACK_URL'),
    functionName: required('AWS_LAMBDA_FUNCTION_NAME'),
    broadcastConcurrency: Math.floor(positive('BROADCAST_CONCURRENCY', 50)),
    fanoutMembersPerWorker:
      env.FANOUT_MEMBERS_PER_WORKER?.trim() === '0'
        ? undefined
        : Math.floor(positive('FANOUT_MEMBERS_PER_WORKER', FANOUT_MEMBERS_PER_WORKER)),
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
      room: rate('ROOM_RATE_PER_SECOND', 'ROOM_RATE_BURST', [50, 500]),
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
  };
};

/**
 * CONNECT_SECRET / CONNECT_JWT_SECRET hold a secret's value (for local use);
 * CONNECT_SECRET_PARAMETER / CONNECT_JWT_SECRET_PARAMETER the name of an SSM SecureString
 * parameter holding it. Setting both for one secret is an error: which should win is a guess.
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
  return {
    sharedSecret,
    sharedSecretParameter,
    jwtSecret,
    jwtSecretParameter,
    jwtAudience: env.CONNECT_JWT_AUDIENCE || undefined,
    jwtIssuer: env.CONNECT_JWT_ISSUER || undefined,
    allowedOrigins: originList(env.ALLOWED_ORIGINS),
    allowedOriginsParameter: env.ALLOWED_ORIGINS_PARAMETER || undefined,
  };
};
