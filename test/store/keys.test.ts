import { describe, expect, it } from 'vitest';
import { networkOf, sourceKey } from '../../src/store/dynamo/keys.js';

describe('networkOf', () => {
  it.each([
    ['203.0.113.9', '203.0.113.9'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['2001:db8:77:1::1', '2001:db8:77:1::/64'],
    ['2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd', '2001:db8:0:1::/64'],
    ['2001:db8::', '2001:db8:0:0::/64'],
  ])('names %s’s network %s, and that network names itself', (ip, network) => {
    expect(networkOf(ip)).toBe(network);
    expect(networkOf(network)).toBe(network);
    // So a budget charged by address ($connect) and by stored network (replay) is one budget.
    expect(sourceKey(network)).toEqual(sourceKey(ip));
  });
});
