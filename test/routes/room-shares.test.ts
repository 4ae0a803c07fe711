import { describe, expect, it } from 'vitest';
import type { WebSocketEvent } from '../../src/router/event.js';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';

// Nothing refills while a test runs. A room takes 100 write units (50 short messages), a network a
// fifth of that; its posts a tenth of a write unit each (the defaults' 250 / 2,500), so a message
// to 200 members costs 20. The room's typing: 5 broadcasts, one per network.
// Posts are charged per message only when each message is posted on its own (batched delivery
// paces its rounds to the posts budget instead: see test/broadcast/batches.test.ts).
useFileEnv({
  BATCH_WINDOW_MS: '0',
  ROOM_RATE_PER_SECOND: '0.01',
  ROOM_RATE_BURST: '100',
  ROOM_POSTS_PER_SECOND: '0.1',
  ROOM_NETWORK_SHARE: '0.2',
  ROOM_TYPING_PER_SECOND: '0.01',
  ROOM_TYPING_BURST: '5',
  TYPING_INTERVAL_MS: '60000',
});

const { table, aws, invoke, runInvocations } = useHandler();

const from = (sourceIp: string, event: WebSocketEvent) => {
  event.requestContext.identity = { sourceIp, userAgent: 'vitest' };
  return event;
};

const join = async (room: string, members: [id: string, ip: string][]) => {
  for (const [id, ip] of members) await invoke(from(ip, connectEvent(id, { room, name: id })));
  await runInvocations();
  aws.reset();
};

const own = (id: string) =>
  aws.delivered(id).filter((f) => f.type === 'message' && f.sender === id).length;

describe('a network’s share of a room, and a big room’s posts', () => {
  it('refuses a network past its share of the room, and still hears another network', async () => {
    await join('shared', [
      ['sh-a1', '203.0.113.1'],
      ['sh-a2', '203.0.113.1'],
      ['sh-b', '198.51.100.2'],
    ]);
    // Network A: 16 short messages (2 write units each) from two connections; its share is 20.
    for (let n = 0; n < 8; n++) {
      await invoke(from('203.0.113.1', sendFrame('sh-a1', { message: `a1 ${n}` })));
      await invoke(from('203.0.113.1', sendFrame('sh-a2', { message: `a2 ${n}` })));
    }
    expect(own('sh-a1') + own('sh-a2')).toBe(10);
    const refusal = aws.delivered('sh-a2').find((f) => f.type === 'error');
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterMs: expect.any(Number) });
    expect(refusal?.message).toContain('room "shared" is busy for your network');
    for (let n = 0; n < 5; n++) {
      await invoke(from('198.51.100.2', sendFrame('sh-b', { message: `b ${n}` })));
    }
    expect(own('sh-b')).toBe(5);
    const log = await table.store.readAfter('shared', 0, 100);
    expect(log.messages).toHaveLength(15);
    expect(log.skipped).toEqual([]);
  });

  it('drops a network’s typing past its share of the room’s typing rate, not another’s', async () => {
    await join('typed', [
      ['ty-reader', '192.0.2.9'],
      ['ty-a1', '203.0.113.5'],
      ['ty-a2', '203.0.113.5'],
      ['ty-b', '198.51.100.5'],
    ]);
    const typing = (id: string, ip: string) =>
      invoke(from(ip, messageEvent(id, '{"action":"typing"}')));
    await typing('ty-a1', '203.0.113.5');
    await typing('ty-a2', '203.0.113.5');
    await typing('ty-b', '198.51.100.5');
    const heard = aws.delivered('ty-reader').filter((f) => f.type === 'typing');
    expect(heard.map((f) => f.name)).toEqual(['ty-a1', 'ty-b']);
  });

  it('admits a 200-member room 5 messages where a small room gets 8, from the same 8 networks', async () => {
    const senders = Array.from({ length: 8 }, (_, n) => n);
    const crowd = Array.from({ length: 192 }, (_, n) => `big-m${n}`);
    await registerMembers(table.store, 'big', [...senders.map((n) => `big-s${n}`), ...crowd]);
    await registerMembers(
      table.store,
      'small',
      senders.map((n) => `small-s${n}`),
    );
    // The count presence keeps for a room this size (see presence/coalesce.ts).
    await table.store.cacheCount('big', { count: 200, countedAt: Date.now() });
    for (const n of senders) {
      await invoke(from(`10.0.1.${n}`, sendFrame(`big-s${n}`, { message: 'to everyone' })));
      await invoke(from(`10.0.1.${n}`, sendFrame(`small-s${n}`, { message: 'to a few' })));
    }
    const admitted = (room: string) => senders.filter((n) => own(`${room}-s${n}`) === 1).length;
    expect(admitted('big')).toBe(5);
    expect(admitted('small')).toBe(8);
    const refusal = aws.delivered('big-s7').find((f) => f.type === 'error');
    expect(refusal?.message).toContain('room "big" is busy:');
    expect(await table.store.lastSeq('big')).toBe(5);
  });
});
