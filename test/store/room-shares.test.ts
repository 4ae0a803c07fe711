import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { wideNetworkOf } from '../../src/store/dynamo/keys.js';
import { anotherContainer, useTable } from '../support/table.js';

const table = useTable();

/** A network's share of a room by default: a fifth. */
const fraction = readConfig({
  TABLE_NAME: 't',
  CALLBACK_URL: 'u',
  AWS_LAMBDA_FUNCTION_NAME: 'f',
}).limits.roomShare as number;

/** A container on the table whose clock the test sets. */
const clocked = (start: number) => {
  const clock = { now: start };
  return { clock, store: anotherContainer(table, () => clock.now).store };
};

const admittedOf = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r) => r.status === 'fulfilled').length;

describe('each network’s share of a room', () => {
  it('admits a fourth network’s message every second while three networks flood the room', async () => {
    const room = 'griefed';
    const start = 1_000_000;
    // The default rate's shape at a fifth of its size (two seconds of burst): 25 short messages
    // a second, 5 per network.
    const roomRate = { perSecond: 50, burst: 100 };
    const flooders = ['192.0.2.1', '192.0.2.2', '2001:db8:aa:bb::1'].map((ip) => ({
      ip,
      ...clocked(start),
    }));
    const member = { ip: '198.51.100.4', ...clocked(start) };
    const floodAdmitted = new Map<string, number>();
    let memberAdmitted = 0;
    const seconds = 10;
    for (let second = 0; second < seconds; second++) {
      for (const { clock } of [...flooders, member]) clock.now = start + second * 1000;
      // Each flooding network sends 30 messages at once; the member's one goes out last.
      const floods = flooders.map(async ({ ip, store }) => {
        const sends = Array.from({ length: 30 }, (_, n) =>
          store.appendMessage(
            { room, author: `name:${ip}`, sender: 'flood', text: `${second}/${n}` },
            { roomRate, share: { sourceIp: ip, fraction } },
          ),
        );
        const admitted = admittedOf(await Promise.allSettled(sends));
        floodAdmitted.set(ip, (floodAdmitted.get(ip) ?? 0) + admitted);
      });
      const own = member.store.appendMessage(
        { room, author: 'name:member', sender: 'member', id: `m${second}`, text: 'still here' },
        { roomRate, share: { sourceIp: member.ip, fraction } },
      );
      const [result] = await Promise.allSettled([own, ...floods]);
      if (result?.status === 'fulfilled') memberAdmitted++;
    }
    expect(memberAdmitted / seconds).toBeGreaterThanOrEqual(0.9);
    // A fifth of the rate and of the burst, in short messages (2 write units each).
    const share = (fraction * roomRate.burst + fraction * roomRate.perSecond * (seconds - 1)) / 2;
    for (const [ip, admitted] of floodAdmitted) {
      expect(admitted, ip).toBeLessThanOrEqual(share + 1);
    }
    const log = await table.store.readAfter(room, 0, 1000);
    expect(log.skipped).toEqual([]);
  });

  it('counts an IPv6 /62 as one network, by its /56, and another /56 as another', async () => {
    const room = 'v6-share';
    const { store } = clocked(2_000_000);
    // Nothing refills: the room takes 100 write units, a network 20 (ten short messages).
    const rate = { perSecond: 0.01, burst: 100 };
    const send = (sourceIp: string, n: number) =>
      store.appendMessage(
        { room, author: `name:${sourceIp}`, sender: 'v6', text: `${n}` },
        { roomRate: rate, share: { sourceIp, fraction } },
      );
    const walk = ['2001:db8:1:4::1', '2001:db8:1:5::9', '2001:db8:1:6:1::', '2001:db8:1:7::7'];
    const walked = await Promise.allSettled(
      walk.flatMap((ip) => Array.from({ length: 10 }, (_, n) => send(ip, n))),
    );
    expect(admittedOf(walked)).toBe(10);
    const refusal = walked.find((r) => r.status === 'rejected');
    expect((refusal as PromiseRejectedResult).reason).toMatchObject({
      name: 'NetworkShareError',
      retryAfterMs: expect.any(Number),
    });
    const elsewhere = await Promise.allSettled(
      Array.from({ length: 10 }, (_, n) => send('2001:db8:1:100::1', n)),
    );
    expect(admittedOf(elsewhere)).toBe(10);
    // Refused sends claimed nothing.
    expect(await table.store.lastSeq(room)).toBe(20);
  });

  it('names the network of an address: an IPv4 address, or an IPv6 /56', () => {
    expect(wideNetworkOf('192.0.2.7')).toBe('192.0.2.7');
    expect(wideNetworkOf('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(wideNetworkOf('2001:db8:1:4::1')).toBe('2001:db8:1:0::/56');
    expect(wideNetworkOf('2001:DB8:0001:07ff:1:2:3:4')).toBe('2001:db8:1:700::/56');
    expect(wideNetworkOf('2001:db8:1:1ff::')).toBe('2001:db8:1:100::/56');
    expect(wideNetworkOf('::1')).toBe('0:0:0:0::/56');
  });
});
