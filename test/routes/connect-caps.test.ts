import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import type { WebSocketEvent } from '../../src/router/event.js';
import { connectionKey } from '../../src/store/dynamo/keys.js';
import { connectEvent, disconnectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// Small caps, a connect budget of 5 per network that does not refill in a test, and a site.
process.env.SOURCE_SOCKETS_MAX = '3';
process.env.ROOM_MEMBERS_MAX = '3';
process.env.SOURCE_CONNECTS_PER_MINUTE = '0.01';
process.env.SOURCE_CONNECT_BURST = '5';
process.env.ALLOWED_ORIGINS = 'https://chat.example.com';

const { table, invoke } = useHandler();

const from = (sourceIp: string, event: WebSocketEvent) => {
  event.requestContext.identity = { sourceIp, userAgent: 'vitest' };
  return event;
};
const connectFrom = (sourceIp: string, id: string, room: string) =>
  invoke(from(sourceIp, connectEvent(id, { room, name: id })));

describe('$connect under the caps on sockets per network and members per room', () => {
  it('refuses a network its 4th open socket with 429, saying how many and per what, storing nothing', async () => {
    const answers = [];
    for (const [n, room] of ['a', 'b', 'c', 'd'].entries()) {
      answers.push(await connectFrom('203.0.113.20', `net-${n}`, `net-${room}`));
    }
    expect(answers.slice(0, 3).map((a) => a?.statusCode)).toEqual([200, 200, 200]);
    expect(answers[3]).toEqual({
      statusCode: 429,
      body: 'too many open connections from your network (at most 3 at once per network); close some and try again',
    });
    expect(await table.store.getConnection('net-3')).toBeUndefined();
    expect(await connectFrom('203.0.113.21', 'net-other', 'net-d')).toMatchObject({
      statusCode: 200,
    });
  });

  it('counts an IPv6 network by its /64, and stores the network on the connection, not the address', async () => {
    const answers = [];
    for (let n = 1; n <= 4; n++) {
      answers.push(await connectFrom(`2001:db8:77:1::${n}`, `v6-${n}`, `v6-${n}`));
    }
    expect(answers.map((a) => a?.statusCode)).toEqual([200, 200, 200, 429]);
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: connectionKey('v6-1') }),
    );
    expect(Item?.network).toBe('2001:db8:77:1::/64');
    expect(JSON.stringify(Item)).not.toContain('2001:db8:77:1::1"');
  });

  it('frees a place when a socket disconnects, once however many removers race', async () => {
    for (let n = 0; n < 3; n++) {
      expect(await connectFrom('203.0.113.30', `free-${n}`, 'free')).toMatchObject({
        statusCode: 200,
      });
    }
    // `$disconnect` twice and a broadcast's prune: one place back, not three.
    await Promise.all([
      invoke(from('203.0.113.30', disconnectEvent('free-0'))),
      invoke(from('203.0.113.30', disconnectEvent('free-0'))),
      table.store.removeConnection('free-0', 'free'),
    ]);
    expect(await connectFrom('203.0.113.30', 'free-3', 'free-again')).toMatchObject({
      statusCode: 200,
    });
    expect(await connectFrom('203.0.113.30', 'free-4', 'free-again')).toMatchObject({
      statusCode: 429,
    });
  });

  it('refuses a full room with 409 and its size, storing nothing, and gives the network its place back', async () => {
    for (let n = 0; n < 3; n++) {
      expect(await connectFrom(`198.51.100.${n + 1}`, `full-${n}`, 'packed')).toMatchObject({
        statusCode: 200,
      });
    }
    // Four tries from one network, each refused by the room: had each kept its network's place,
    // the fourth would be refused for the network instead.
    for (let n = 0; n < 4; n++) {
      expect(await connectFrom('198.51.100.40', `late-${n}`, 'packed')).toEqual({
        statusCode: 409,
        body: 'room "packed" is full (3 members)',
      });
      expect(await table.store.getConnection(`late-${n}`)).toBeUndefined();
    }
    expect(await table.store.countMembers('packed')).toBe(3);
    expect(await connectFrom('198.51.100.40', 'late-elsewhere', 'roomy')).toMatchObject({
      statusCode: 200,
    });
    await invoke(disconnectEvent('full-1'));
    expect(await connectFrom('198.51.100.41', 'late-in', 'packed')).toMatchObject({
      statusCode: 200,
    });
  });

  it('does not let a page from a refused origin use up its visitors’ network connect budget', async () => {
    for (let n = 0; n < 8; n++) {
      const event = from('192.0.2.99', connectEvent(`evil-${n}`, { room: 'lobby' }));
      event.headers = { ...event.headers, Origin: 'https://evil.example' };
      expect(await invoke(event)).toEqual({ statusCode: 403, body: 'origin not allowed' });
    }
    const event = from('192.0.2.99', connectEvent('real-user', { room: 'lobby' }));
    event.headers = { ...event.headers, Origin: 'https://chat.example.com' };
    expect(await invoke(event)).toEqual({ statusCode: 200 });
  });
});
