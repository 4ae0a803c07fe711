import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { connectionKey, memberKey } from '../../src/store/dynamo/keys.js';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { table, aws, invoke } = useHandler();

const stored = async (connectionId: string, room: string) => {
  const get = (Key: Record<string, string>) =>
    table.client.send(new GetCommand({ TableName: table.tableName, Key }));
  const [connection, member] = await Promise.all([
    get(connectionKey(connectionId)),
    get(memberKey(room, connectionId)),
  ]);
  return { connection: connection.Item, member: member.Item };
};

describe('$connect', () => {
  it('registers the connection and its membership and asks for a replay', async () => {
    const result = await invoke(
      connectEvent('c-ok', { room: 'lobby', name: '  alice  ', since: '41' }),
    );
    expect(result).toEqual({ statusCode: 200 });
    const { connection, member } = await stored('c-ok', 'lobby');
    expect(connection).toMatchObject({ room: 'lobby', name: 'alice', connectionId: 'c-ok' });
    expect(member).toMatchObject({ connectionId: 'c-ok', name: 'alice' });
    expect(aws.invocations).toMatchObject([
      { replay: { connectionId: 'c-ok', room: 'lobby', since: 41 } },
    ]);
  });

  it('dates a member from when it registered, and a broadcast meanwhile passes it by without pruning it', async () => {
    await invoke(connectEvent('c-here', { room: 'cold', name: 'here' }));
    const before = Date.now();
    // A cold start: the gateway accepted the socket 8 s before `$connect` registered it.
    await invoke(connectEvent('c-cold', { room: 'cold' }, { connectedAt: before - 8_000 }));
    const { member } = await stored('c-cold', 'cold');
    expect(member?.connectedAt).toBeGreaterThanOrEqual(before);
    aws.reset();
    // Its `$connect` has not returned yet.
    aws.connecting.add('c-cold');
    await invoke(sendFrame('c-here', { message: 'welcome' }));
    expect(aws.posts.filter((p) => p.connectionId === 'c-cold').map((p) => p.status)).toEqual([
      410,
    ]);
    expect(aws.delivered('c-here')).toEqual([expect.objectContaining({ type: 'message' })]);
    expect((await stored('c-cold', 'cold')).member).toBeDefined();
  });

  it('defaults the room to general and the name to anon- and 16 hex characters (64 random bits)', async () => {
    await invoke(connectEvent('c-default'));
    await invoke(connectEvent('c-default-2'));
    const { connection } = await stored('c-default', 'general');
    expect(connection?.name).toMatch(/^anon-[0-9a-f]{16}$/);
    expect((await stored('c-default-2', 'general')).connection?.name).not.toBe(connection?.name);
    expect(aws.invocations).toMatchObject([
      { replay: { connectionId: 'c-default', room: 'general' } },
      { replay: { connectionId: 'c-default-2', room: 'general' } },
    ]);
  });

  it.each([
    ['a room with a space', { room: 'two words' }, 'room must be'],
    ['a room of 65 characters', { room: 'r'.repeat(65) }, 'room must be'],
    ['an empty room', { room: '' }, 'room must be'],
    ['a blank name', { name: '   ' }, 'name must be 1-32'],
    ['a name of 33 characters', { name: 'n'.repeat(33) }, 'name must be 1-32'],
    ['a name with a control character', { name: 'al\u0007ice' }, 'control'],
    ['a negative since', { since: '-1' }, 'since must be'],
    ['a fractional since', { since: '1.5' }, 'since must be'],
    ['a since that is not a number', { since: 'abc' }, 'since must be'],
    ['a since beyond any seq', { since: '9999999999999' }, 'since must be'],
  ] as [string, Record<string, string>, string][])(
    'refuses %s with 400 and stores nothing',
    async (_case, query, reason) => {
      const connectionId = `c-bad-${Math.random()}`;
      const result = await invoke(connectEvent(connectionId, query));
      expect(result?.statusCode).toBe(400);
      expect(result?.body).toContain(reason);
      const { connection } = await stored(connectionId, query.room ?? 'general');
      expect(connection).toBeUndefined();
      expect(aws.invocations).toMatchObject([]);
    },
  );

  it('accepts a 32-character name counted in characters, not UTF-16 units', async () => {
    const result = await invoke(connectEvent('c-emoji', { name: '😀'.repeat(32) }));
    expect(result?.statusCode).toBe(200);
  });
});
