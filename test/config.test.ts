import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  BATCH_WINDOW_MS,
  type Config,
  FANOUT_MEMBERS_PER_WORKER,
  readConfig,
} from '../src/config.js';
import type { Rate } from '../src/store/index.js';

const REQUIRED = {
  TABLE_NAME: 'chat',
  CALLBACK_URL: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/dev',
  AWS_LAMBDA_FUNCTION_NAME: 'chat-dev',
};

/** The configuration of a function with only the required variables and these. */
const configWith = (env: Record<string, string> = {}) => readConfig({ ...REQUIRED, ...env });

/** Checks that the variable `name` set to `value` gives the limit `limit` these fields. */
const readsLimit = (
  name: string,
  value: string,
  limit: keyof Config['limits'],
  expected: Partial<Rate>,
) => {
  expect(configWith({ [name]: value }).limits[limit]).toMatchObject(expected);
};

describe('readConfig', () => {
  it('reads the required variables and gives every setting its default', () => {
    expect(configWith()).toEqual({
      tableName: 'chat',
      callbackUrl: REQUIRED.CALLBACK_URL,
      functionName: 'chat-dev',
      stage: 'local',
      metrics: true,
      broadcastConcurrency: 50,
      fanoutMembersPerWorker: FANOUT_MEMBERS_PER_WORKER,
      batchWindowMs: BATCH_WINDOW_MS,
      limits: {
        connection: { perSecond: 5, burst: 20 },
        history: { perSecond: 10, burst: 300 },
        room: { perSecond: 250, burst: 500 },
        roomPosts: 2_500,
        roomShare: 0.2,
        sourceFrames: { perSecond: 20, burst: 100 },
        sourceConnects: { perSecond: 1, burst: 30 },
        sourceHistory: { perSecond: 50, burst: 1_000 },
        typing: { perSecond: 1 / 3, burst: 1 },
        roomTyping: { perSecond: 2, burst: 5 },
        sourceSockets: 500,
        roomMembers: 5_000,
        flood: { refusedBursts: 3, block: { firstMs: 30_000, maxMs: 900_000 } },
      },
      presence: {
        noticesUpTo: 100,
        noticeRate: { perSecond: 5, burst: 20 },
        occupancyIntervalMs: 5_000,
        typingIntervalMs: 3_000,
      },
      auth: {
        sharedSecret: undefined,
        sharedSecretParameter: undefined,
        jwtSecret: undefined,
        jwtSecretParameter: undefined,
        jwtAudience: undefined,
        jwtIssuer: undefined,
        pepper: undefined,
        pepperParameter: undefined,
        allowedOrigins: [],
        allowedOriginsParameter: undefined,
        moderatorKeys: [],
      },
    });
  });

  it.each(['TABLE_NAME', 'CALLBACK_URL', 'AWS_LAMBDA_FUNCTION_NAME'])(
    'throws naming %s when it is missing or empty',
    (name) => {
      expect(() => readConfig({ ...REQUIRED, [name]: undefined })).toThrow(
        `environment variable ${name} is not set`,
      );
      expect(() => readConfig({ ...REQUIRED, [name]: '' })).toThrow(name);
    },
  );

  it.each([
    ['ROOM_RATE_PER_SECOND', 'room'],
    ['SOURCE_RATE_PER_SECOND', 'sourceFrames'],
    ['SOURCE_CONNECTS_PER_MINUTE', 'sourceConnects'],
    ['SOURCE_HISTORY_PER_MINUTE', 'sourceHistory'],
    ['ROOM_TYPING_PER_SECOND', 'roomTyping'],
    ['TYPING_INTERVAL_MS', 'typing'],
  ] as const)('turns a rate off when %s is 0', (name, limit) => {
    expect(configWith({ [name]: '0' }).limits[limit]).toBeUndefined();
    expect(configWith({ [name]: ' 0 ' }).limits[limit]).toBeUndefined();
  });

  it.each([
    ['SOURCE_SOCKETS_MAX', 'sourceSockets'],
    ['ROOM_MEMBERS_MAX', 'roomMembers'],
  ] as const)('reads the cap %s, and turns it off at 0', (name, cap) => {
    expect(configWith({ [name]: '7' }).limits[cap]).toBe(7);
    expect(configWith({ [name]: '0' }).limits[cap]).toBeUndefined();
    expect(configWith({ [name]: ' 0 ' }).limits[cap]).toBeUndefined();
  });

  it.each([
    // Per-minute settings become rates per second.
    ['HISTORY_PER_MINUTE', '120', 'history', { perSecond: 2 }],
    ['SOURCE_CONNECTS_PER_MINUTE', '30', 'sourceConnects', { perSecond: 0.5 }],
    ['SOURCE_HISTORY_PER_MINUTE', '600', 'sourceHistory', { perSecond: 10 }],
    // Valid numbers count as given.
    ['RATE_LIMIT_PER_SECOND', '0.5', 'connection', { perSecond: 0.5 }],
    ['RATE_LIMIT_BURST', '7', 'connection', { burst: 7 }],
    ['ROOM_RATE_PER_SECOND', '12', 'room', { perSecond: 12 }],
    ['SOURCE_RATE_BURST', '40', 'sourceFrames', { burst: 40 }],
    // Bursts are whole, at least one, and history's has room for one request of the largest page.
    ['RATE_LIMIT_BURST', '2.9', 'connection', { burst: 2 }],
    ['ROOM_RATE_BURST', '0.5', 'room', { burst: 1 }],
    ['SOURCE_RATE_BURST', '3.7', 'sourceFrames', { burst: 3 }],
    ['HISTORY_BURST', '10', 'history', { burst: 100 }],
  ] as const)('reads %s=%s into the %s limit as %o', readsLimit);

  it('reads the presence settings: 0 notices makes every room a big one, 0 turns the notice rate off', () => {
    const config = configWith({
      PRESENCE_NOTICES_UP_TO: '0',
      PRESENCE_NOTICE_RATE_PER_SECOND: '0',
      OCCUPANCY_INTERVAL_MS: '250',
      TYPING_INTERVAL_MS: '0',
      ROOM_TYPING_BURST: '9',
    });
    expect(config.presence).toEqual({
      noticesUpTo: 0,
      noticeRate: undefined,
      occupancyIntervalMs: 250,
      typingIntervalMs: 0,
    });
    expect(config.limits.roomTyping).toEqual({ perSecond: 2, burst: 9 });
    expect(configWith({ TYPING_INTERVAL_MS: '500' }).limits.typing).toEqual({
      perSecond: 2,
      burst: 1,
    });
    expect(configWith({ PRESENCE_NOTICE_BURST: '3' }).presence.noticeRate).toEqual({
      perSecond: 5,
      burst: 3,
    });
  });

  it.each(['-1', '2.5', 'many', '0'])(
    'falls back to the default presence setting for %j where 0 means nothing',
    (value) => {
      const config = configWith({ PRESENCE_NOTICES_UP_TO: value, OCCUPANCY_INTERVAL_MS: value });
      if (value !== '2.5') expect(config.presence.occupancyIntervalMs).toBe(5_000);
      if (value !== '0') expect(config.presence.noticesUpTo).toBe(100);
    },
  );

  it('takes the broadcast concurrency as given, rounded down', () => {
    expect(configWith({ BROADCAST_CONCURRENCY: '8.5' }).broadcastConcurrency).toBe(8);
  });

  it.each(['fast', '-3', 'Infinity', 'NaN', ''])(
    'falls back to the default when a number reads %j',
    (value) => {
      const config = configWith({
        RATE_LIMIT_PER_SECOND: value,
        RATE_LIMIT_BURST: value,
        ROOM_RATE_PER_SECOND: value,
        BROADCAST_CONCURRENCY: value,
        FANOUT_MEMBERS_PER_WORKER: value,
      });
      expect(config.limits.connection).toEqual({ perSecond: 5, burst: 20 });
      expect(config.limits.room?.perSecond).toBe(250);
      expect(config.broadcastConcurrency).toBe(50);
      expect(config.fanoutMembersPerWorker).toBe(FANOUT_MEMBERS_PER_WORKER);
    },
  );

  it('batches a busy room’s messages over BATCH_WINDOW_MS, and posts each on its own at 0', () => {
    expect(configWith({}).batchWindowMs).toBe(50);
    expect(configWith({ BATCH_WINDOW_MS: '20' }).batchWindowMs).toBe(20);
    expect(configWith({ BATCH_WINDOW_MS: '0' }).batchWindowMs).toBeUndefined();
    expect(configWith({ BATCH_WINDOW_MS: 'soon' }).batchWindowMs).toBe(50);
  });

  it('names the metrics’ stage from STAGE (local by default), and turns them off with METRICS=off', () => {
    expect(configWith()).toMatchObject({ stage: 'local', metrics: true });
    expect(configWith({ STAGE: 'prod', METRICS: 'OFF' })).toMatchObject({
      stage: 'prod',
      metrics: false,
    });
    expect(() => configWith({ METRICS: 'no' })).toThrow('METRICS must be "on" or "off", not "no"');
  });

  it('never splits a fan-out when FANOUT_MEMBERS_PER_WORKER is 0, and rounds it down otherwise', () => {
    expect(configWith({ FANOUT_MEMBERS_PER_WORKER: '0' }).fanoutMembersPerWorker).toBeUndefined();
    expect(configWith({ FANOUT_MEMBERS_PER_WORKER: '250.5' }).fanoutMembersPerWorker).toBe(250);
  });

  it.each([
    ['CONNECT_SECRET', 'CONNECT_SECRET_PARAMETER'],
    ['CONNECT_JWT_SECRET', 'CONNECT_JWT_SECRET_PARAMETER'],
  ])('refuses %s and %s set together: which should win is a guess', (value, parameter) => {
    expect(() => configWith({ [value]: 'secret', [parameter]: '/chat/secret' })).toThrow(
      `set ${value} or ${parameter}, not both`,
    );
  });

  it('reads either secret from its value or its parameter, and the origins as a list', () => {
    const { auth } = configWith({
      CONNECT_SECRET: 'shared',
      CONNECT_JWT_SECRET_PARAMETER: '/chat/jwt',
      CONNECT_JWT_AUDIENCE: 'chat',
      ALLOWED_ORIGINS: ' https://a.example , ,https://b.example',
      ALLOWED_ORIGINS_PARAMETER: '/ServerlessChat-dev/site-origins',
    });
    expect(auth).toMatchObject({
      sharedSecret: 'shared',
      sharedSecretParameter: undefined,
      jwtSecret: undefined,
      jwtSecretParameter: '/chat/jwt',
      jwtAudience: 'chat',
      jwtIssuer: undefined,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      allowedOriginsParameter: '/ServerlessChat-dev/site-origins',
    });
  });

  it('reads MODERATOR_KEYS as a list of keys, blanks dropped', () => {
    const [one, two] = [randomBytes(32), randomBytes(32)].map((key) => key.toString('base64url'));
    const { auth } = configWith({ MODERATOR_KEYS: ` ${one}, ,${two} ` });
    expect(auth.moderatorKeys).toEqual([one, two]);
  });

  it.each([
    ['too short', randomBytes(31).toString('base64url')],
    ['padded', randomBytes(32).toString('base64')],
    ['not base64url', `${'a'.repeat(42)}!`],
  ])('refuses a moderator key that is %s, naming which one and never what it holds', (_, bad) => {
    const good = randomBytes(32).toString('base64url');
    const read = () => configWith({ MODERATOR_KEYS: `${good},${bad}` });
    expect(read).toThrow(/^MODERATOR_KEYS: key 2 is not a key/);
    expect(read).not.toThrow(bad);
  });
});
