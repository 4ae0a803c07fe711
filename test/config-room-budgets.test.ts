import { describe, expect, it } from 'vitest';
import { ROOM_DEFAULTS, readConfig } from '../src/config.js';

const configWith = (env: Record<string, string> = {}) =>
  readConfig({ TABLE_NAME: 't', CALLBACK_URL: 'u', AWS_LAMBDA_FUNCTION_NAME: 'f', ...env }).limits;

describe('readConfig: a room’s write units, posts and network shares', () => {
  it('defaults to 250 write units a second (bursts of 500), 2,500 posts a second and a fifth per network', () => {
    expect(configWith()).toMatchObject({
      room: { perSecond: 250, burst: 500 },
      roomPosts: 2_500,
      roomShare: 0.2,
    });
    expect(ROOM_DEFAULTS.rate).toEqual({ perSecond: 250, burst: 500 });
  });

  it.each([
    ['ROOM_POSTS_PER_SECOND', 'roomPosts'],
    ['ROOM_NETWORK_SHARE', 'roomShare'],
  ] as const)('turns %s off at 0', (name, limit) => {
    expect(configWith({ [name]: '0' })[limit]).toBeUndefined();
    expect(configWith({ [name]: ' 0 ' })[limit]).toBeUndefined();
  });

  it.each([
    ['ROOM_POSTS_PER_SECOND', '1000', 'roomPosts', 1_000],
    ['ROOM_NETWORK_SHARE', '0.5', 'roomShare', 0.5],
    ['ROOM_NETWORK_SHARE', '1', 'roomShare', 1],
    // A network's share is at most the whole room; anything else falls back to the default.
    ['ROOM_NETWORK_SHARE', '3', 'roomShare', 0.2],
    ['ROOM_NETWORK_SHARE', '-1', 'roomShare', 0.2],
    ['ROOM_POSTS_PER_SECOND', 'lots', 'roomPosts', 2_500],
  ] as const)('reads %s=%s into %s as %d', (name, value, limit, expected) => {
    expect(configWith({ [name]: value })[limit]).toBe(expected);
  });
});
