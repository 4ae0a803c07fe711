import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { connectionKey } from '../../src/store/dynamo/keys.js';
import { connectEvent, lambdaContext, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';

const { table, aws, invoke, runInvocations } = useHandler();

describe('lost connections and lost time', () => {
  it('cleans up a connection whose $disconnect never arrived: TTL set, and pruned on its first 410', async () => {
    // It connected an hour ago; its `$disconnect` was lost since.
    const connectedAt = Date.now() - 3_600_000;
    await registerMembers(table.store, 'haunted', ['ghost'], 3_600_000);
    await invoke(connectEvent('alive', { room: 'haunted', name: 'alive' }));
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: connectionKey('ghost') }),
    );
    expect(Item?.expiresAt).toBeGreaterThan(connectedAt / 1000 + 2 * 3600);
    expect(Item?.expiresAt).toBeLessThanOrEqual(connectedAt / 1000 + 2.5 * 3600);
    aws.reset();
    aws.gone.add('ghost');
    await invoke(sendFrame('alive', { message: 'anyone?' }));
    expect(await table.store.getConnection('ghost')).toBeUndefined();
    expect(await table.store.getConnection('alive')).toBeDefined();
  });

  it('lets members a timed-out broadcast did not reach catch up by seq', async () => {
    const ids = Array.from({ length: 12 }, (_, n) => `late-${String(n).padStart(2, '0')}`);
    for (const id of ids) await invoke(connectEvent(id, { room: 'late', name: id }));
    aws.reset();
    let checks = 0;
    // Plenty of time for the first few members, then the function is about to time out.
    const context = lambdaContext(() => (++checks <= 4 ? 20_000 : 1_000));
    await invoke(sendFrame('late-00', { message: 'urgent', id: 'u-1' }), context);
    const missed = ids.filter((id) => aws.delivered(id).length === 0);
    expect(missed.length).toBeGreaterThan(0);
    expect(missed.length).toBeLessThan(ids.length);
    aws.reset();
    for (const id of missed)
      await invoke(connectEvent(`${id}-again`, { room: 'late', name: id, since: '0' }));
    await runInvocations();
    for (const id of missed) {
      const frames = aws.delivered(`${id}-again`).filter((f) => f.type === 'history');
      expect(frames.flatMap((f) => f.messages)).toEqual([
        expect.objectContaining({ seq: 1, text: 'urgent' }),
      ]);
    }
  });

  it.each([
    ['a message', { action: 'sendmessage', message: 'hello?' }],
    ['a history request', { action: 'history' }],
    ['a who request', { action: 'who' }],
    ['a typing frame', { action: 'typing' }],
    ['an edit', { action: 'editmessage', seq: 1, message: 'again' }],
    ['a deletion', { action: 'deletemessage', seq: 1 }],
    ['an unknown action', { action: 'dance' }],
  ])(
    'closes a connection the store forgot while its socket was open when it sends %s: the error, then DELETE @connections',
    async (_case, frame) => {
      const id = `forgotten-${frame.action}`;
      await invoke(connectEvent(id, { room: 'forgotten' }));
      await runInvocations();
      // Pruned while its socket is open: its items are gone, and so it hears nothing more.
      await table.store.removeConnection(id, 'forgotten');
      aws.reset();

      await invoke(messageEvent(id, JSON.stringify(frame)));

      expect(aws.delivered(id)).toEqual([
        expect.objectContaining({
          type: 'error',
          code: 'invalid_request',
          message: expect.stringContaining('reconnect'),
        }),
      ]);
      // In that order: the DELETE closes the socket, and a post after it would have got 410.
      expect(aws.deletes).toEqual([{ connectionId: id, status: 204 }]);
      // The client reconnects with `since`; nothing was stored for the forgotten connection.
      expect(await table.store.getConnection(id)).toBeUndefined();
    },
  );

  it('takes a 410 to its DELETE as done: the connection had closed already', async () => {
    aws.gone.add('long-gone');
    await invoke(messageEvent('long-gone', JSON.stringify({ action: 'who' })));
    expect(aws.deletes).toEqual([{ connectionId: 'long-gone', status: 410 }]);
  });
});
