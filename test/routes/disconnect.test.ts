import { describe, expect, it } from 'vitest';
import { connectEvent, disconnectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { table, invoke } = useHandler();

describe('$disconnect', () => {
  it('removes the connection and its membership', async () => {
    await invoke(connectEvent('d-1', { room: 'bye' }));
    expect(await invoke(disconnectEvent('d-1'))).toEqual({ statusCode: 200 });
    expect(await table.store.getConnection('d-1')).toBeUndefined();
    for await (const page of table.store.listMembers('bye')) expect(page).toEqual([]);
  });

  it('succeeds for a connection that is already gone', async () => {
    expect(await invoke(disconnectEvent('never-connected'))).toEqual({ statusCode: 200 });
  });
});
