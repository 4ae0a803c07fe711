import { describe, expect, it } from 'vitest';
import { FANOUT_MEMBERS_PER_WORKER, readConfig } from '../src/config.js';

const REQUIRED = {
  TABLE_NAME: 'chat',
  CALLBACK_URL: 'https://abc123defg.execute-api.us-east-1.amazonaws.com/dev',
  AWS_LAMBDA_FUNCTION_NAME: 'chat-dev',
};

/** The configuration of a function with only the required variables and these. */
const configWith = (env: Record<string, string> = {}) => readConfig({ ...REQUIRED, ...env });

describe('readConfig', () => {
  it('reads the required variables and gives every setting its default', () => {
    expect(configWith()).toEqual({
      tableName: 'chat',
      callbackUrl: REQUIRED.CALLBACK_URL,
      functionName: 'chat-dev',
      broadcastConcurrency: 50,
      fanoutMembersPerWorker: FANOUT_MEMBERS_PER_WORKER,
      limits: {
        connection: { perSecond: 5, burst: 20 },
        history: { perSecond: 10, burst: 300 },
        room: { perSecond: 50, burst: 500 },
        sourceFrames: { perSecond: 20, burst: 100 },
        sourceConnects: { perSecond: 1, burst: 30 },
        sourceHistory: { perSecond: 50, burst: 1_000 },
      },
      auth: {
        sharedSecret: undefined,
        sharedSecretParameter: undefined,
        jwtSecret: undefined,
        jwtSecretParameter: undefined,
        jwtAudience: undefined,
        jwtIssuer: undefined,
        allowedOrigins: [],
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
  ] as const)('turns a rate off when %s is 0', (name, limit) => {
    expect(configWith({ [name]: '0' }).limits[limit]).toBeUndefined();
    expect(configWith({ [name]: ' 0 ' }).limits[limit]).toBeUndefined();
  });

  it('converts the per-minute rates to per second', () => {
    const { limits } = configWith({
      HISTORY_PER_MINUTE: '120',
      SOURCE_CONNECTS_PER_MINUTE: '30',
      SOURCE_HISTORY_PER_MINUTE: '600',
    });
    expect(limits.history.perSecond).toBe(2);
    expect(limits.sourceConnects?.perSecond).toBe(0.5);
    expect(limits.sourceHistory?.perSecond).toBe(10);
  });

  it('takes a valid number as it is given', () => {
    const config = configWith({
      RATE_LIMIT_PER_SECOND: '0.5',
      RATE_LIMIT_BURST: '7',
      ROOM_RATE_PER_SECOND: '12',
      BROADCAST_CONCURRENCY: '8',
    });
    expect(config.limits.connection).toEqual({ perSecond: 0.5, burst: 7 });
    expect(config.limits.room?.perSecond).toBe(12);
    expect(config.broadcastConcurrency).toBe(8);
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
      expect(config.limits.room?.perSecond).toBe(50);
      expect(config.broadcastConcurrency).toBe(50);
      expect(config.fanoutMembersPerWorker).toBe(FANOUT_MEMBERS_PER_WORKER);
    },
  );

  it('rounds bursts down but keeps at least one, and history room for the largest page', () => {
    const { limits } = configWith({
      RATE_LIMIT_BURST: '2.9',
      ROOM_RATE_BURST: '0.5',
      SOURCE_RATE_BURST: '3.7',
      HISTORY_BURST: '10',
    });
    expect(limits.connection.burst).toBe(2);
    expect(limits.room?.burst).toBe(1);
    expect(limits.sourceFrames?.burst).toBe(3);
    expect(limits.history.burst).toBe(100);
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
    });
    expect(auth).toMatchObject({
      sharedSecret: 'shared',
      sharedSecretParameter: undefined,
      jwtSecret: undefined,
      jwtSecretParameter: '/chat/jwt',
      jwtAudience: 'chat',
      jwtIssuer: undefined,
      allowedOrigins: ['https://a.example', 'https://b.example'],
    });
  });
});
