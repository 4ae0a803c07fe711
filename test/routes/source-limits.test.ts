import { describe, expect, it } from 'vitest';
import type { WebSocketEvent } from '../../src/router/event.js';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { seedRoom } from '../support/table.js';

// Per connection, no limit in the way; per network and per room, nothing refills in a test.
process.env.RATE_LIMIT_PER_SECOND = '1000';
process.env.RATE_LIMIT_BURST = '1000';
process.env.SOURCE_RATE_PER_SECOND = '0.01';
process.env.SOURCE_RATE_BURST = '10';
process.env.SOURCE_CONNECTS_PER_MINUTE = '0.6';
process.env.SOURCE_CONNECT_BURST = '12';
process.env.SOURCE_HISTORY_PER_MINUTE = '0.6';
process.env.SOURCE_HISTORY_BURST = '150';
// 30 messages with ids (5 write units each); every network alike (the shares have tests of
// their own, in room-shares.test.ts).
process.env.ROOM_RATE_PER_SECOND = '0.01';
process.env.ROOM_RATE_BURST = '150';
process.env.ROOM_NETWORK_SHARE = '0';

const { table, aws, invoke } = useHandler();

const from = (sourceIp: string, event: WebSocketEvent) => {
  event.requestContext.identity = { sourceIp, userAgent: 'vitest' };
  return event;
};

describe('limits by network and by room', () => {
  it('makes one network share one sending budget however many connections it opens', async () => {
    const ids = Array.from({ length: 8 }, (_, n) => `src-many-${n}`);
    for (const id of ids) {
      await invoke(from('203.0.113.7', connectEvent(id, { room: 'shared', name: id })));
    }
    await invoke(from('198.51.100.1', connectEvent('src-other', { room: 'shared', name: 'o' })));
    aws.reset();
    await Promise.all(
      ids.flatMap((id) =>
        Array.from({ length: 5 }, (_, n) =>
          invoke(from('203.0.113.7', sendFrame(id, { message: `${id} ${n}` }))),
        ),
      ),
    );
    expect(await table.store.lastSeq('shared')).toBe(10);
    // 30 frames refused: a connection refused any is told once in its window, the rest silent.
    const stored = (await table.store.readAfter('shared', 0, 100)).messages;
    const told = ids.flatMap((id) => {
      const refused = 5 - stored.filter((m) => m.sender === id).length;
      const answers = aws.delivered(id).filter((f) => f.type === 'error');
      expect(answers).toHaveLength(refused > 0 ? 1 : 0);
      return answers;
    });
    // 30 refusals of at most 5 a connection: at least 6 connections were told.
    expect(told.length).toBeGreaterThanOrEqual(6);
    for (const answer of told) {
      expect(answer).toMatchObject({ code: 'rate_limited' });
      expect(answer.message).toContain('your network');
    }
    await invoke(from('198.51.100.1', sendFrame('src-other', { message: 'still heard' })));
    expect(await table.store.lastSeq('shared')).toBe(11);
  });

  it('counts an IPv6 network by its /64, so walking its addresses does not help', async () => {
    for (let n = 0; n < 12; n++) {
      const ip = `2001:db8:aa:bb::${(n + 1).toString(16)}`;
      const id = `src-v6-${n}`;
      await invoke(from(ip, connectEvent(id, { room: 'v6', name: id })));
      await invoke(from(ip, sendFrame(id, { message: 'hi' })));
    }
    expect(await table.store.lastSeq('v6')).toBe(10);
  });

  it('refuses a network its 13th new connection with 429, storing nothing for it', async () => {
    const results = [];
    for (let n = 0; n < 13; n++) {
      results.push(
        await invoke(from('192.0.2.50', connectEvent(`src-c-${n}`, { room: 'c', name: `c${n}` }))),
      );
    }
    expect(results.slice(0, 12).every((r) => r?.statusCode === 200)).toBe(true);
    expect(results[12]).toMatchObject({ statusCode: 429 });
    expect(results[12]?.body).toMatch(/too many new connections from your network.*try again/);
    expect(await table.store.getConnection('src-c-12')).toBeUndefined();
    expect(await invoke(from('192.0.2.51', connectEvent('src-c-x', { room: 'c' })))).toEqual({
      statusCode: 200,
    });
  });

  it('makes one network share one reading budget over history and replays alike', async () => {
    await seedRoom(table.store, 'archive', 120);
    const replayOf = async (id: string, query: Record<string, string>) => {
      await invoke(from('198.51.100.9', connectEvent(id, { room: 'archive', ...query })));
      for (const request of aws.invocations.splice(0)) await invoke(request);
      return aws.delivered(id);
    };
    const first = await replayOf('read-1', { since: '0' });
    const pages = first.filter((f) => f.type === 'history');
    expect(pages.flatMap((f) => f.messages as unknown[])).toHaveLength(120);
    // 30 of the 150 left: the next page is refused, and the client told when to come back.
    const second = await replayOf('read-2', { since: '0' });
    expect(second).toEqual([
      expect.objectContaining({ type: 'session', room: 'archive' }),
      expect.objectContaining({ type: 'error', code: 'rate_limited', action: 'history' }),
      expect.objectContaining({ type: 'presence' }),
    ]);
    await invoke(from('198.51.100.9', messageEvent('read-1', '{"action":"history","limit":40}')));
    expect(aws.delivered('read-1').at(-1)).toMatchObject({
      code: 'rate_limited',
      action: 'history',
    });
    expect(aws.delivered('read-1').at(-1)?.message).toContain('your network is reading too much');
    // Another network reads as before.
    const elsewhere = await (async () => {
      await invoke(from('198.51.100.10', connectEvent('read-3', { room: 'archive' })));
      for (const request of aws.invocations.splice(0)) await invoke(request);
      return aws.delivered('read-3').filter((f) => f.type === 'history');
    })();
    expect(elsewhere.flatMap((f) => f.messages as unknown[])).toHaveLength(50);
  });

  it('caps a room over all its senders, claiming no seq for what it refuses', async () => {
    const senders = Array.from({ length: 4 }, (_, n) => `room-s-${n}`);
    for (const [n, id] of senders.entries()) {
      await invoke(from(`10.0.0.${n + 1}`, connectEvent(id, { room: 'crowded', name: id })));
    }
    await invoke(from('10.0.1.1', connectEvent('room-calm', { room: 'calm', name: 'calm' })));
    aws.reset();
    await Promise.all(
      senders.flatMap((id, n) =>
        Array.from({ length: 10 }, (_, m) =>
          invoke(from(`10.0.0.${n + 1}`, sendFrame(id, { message: `${id}/${m}`, id: `${m}` }))),
        ),
      ),
    );
    const refused = senders.flatMap((id) => aws.delivered(id).filter((f) => f.type === 'error'));
    expect(refused).toHaveLength(10);
    expect(refused[0]).toMatchObject({ code: 'rate_limited' });
    expect(refused[0]?.message).toContain('room "crowded" is busy');
    const log = await table.store.readAfter('crowded', 0, 100);
    expect(log.messages).toHaveLength(30);
    expect(log.skipped).toEqual([]);
    expect(await table.store.lastSeq('crowded')).toBe(30);
    await invoke(from('10.0.1.1', sendFrame('room-calm', { message: 'another room is fine' })));
    expect(await table.store.lastSeq('calm')).toBe(1);
  });
});
