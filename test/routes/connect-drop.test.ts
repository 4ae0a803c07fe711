import { describe, expect, it } from 'vitest';
import { broadcast } from '../../src/broadcast/broadcast.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { recordCommands } from '../support/command-recorder.js';
import { testDeps } from '../support/deps.js';
import { connectEvent, disconnectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';
import { ignoredMetrics } from '../support/metrics.js';
import { anotherContainer, seedRoom } from '../support/table.js';

const { table, aws, invoke } = useHandler();

const postsTo = (connectionId: string) =>
  aws.posts.filter((p) => p.connectionId === connectionId).map((p) => p.status);

describe('a client that connects and hangs up at once', () => {
  it('costs its replay one lookup, and no post or page, once $disconnect has run', async () => {
    await seedRoom(table.store, 'drop', 120);
    await invoke(connectEvent('cd-gone', { room: 'drop', since: '0' }));
    await invoke(disconnectEvent('cd-gone'));
    aws.gone.add('cd-gone');
    const [request] = aws.invocations.splice(0);
    // The replay in a container of its own, so its reads can be counted.
    const container = anotherContainer(table);
    const reads = recordCommands(container.client);
    const getConnection = container.store.getConnection;
    let lookups = 0;
    container.store.getConnection = (id) => {
      lookups++;
      return getConnection(id);
    };
    const { replay } = await import('../../src/routes/replay.js');
    const deps = testDeps({ store: container.store, api: createConnectionsApi(aws.url, 10) });
    await replay(request as never, {
      deps,
      requestId: 'replay-1',
      log: () => undefined,
      remainingMs: () => 60_000,
    });
    expect(postsTo('cd-gone')).toEqual([]);
    expect(lookups).toBe(1);
    // Not a page of the log, let alone the 120 messages since 0.
    expect(reads.commands.filter((c) => c.operation === 'Query')).toEqual([]);
  });

  it('replays a resume page by page, in order, saying hasMore only where the replay ends', async () => {
    await seedRoom(table.store, 'pages', 120);
    await invoke(connectEvent('cd-pages', { room: 'pages', since: '5' }));
    const [request] = aws.invocations.splice(0);
    await invoke(request);
    const frames = aws.delivered('cd-pages').filter((f) => f.type === 'history');
    const seqs = frames.flatMap((f) => (f.messages as { seq: number }[]).map((m) => m.seq));
    expect(seqs).toEqual(Array.from({ length: 115 }, (_, n) => n + 6));
    expect(frames.map((f) => f.hasMore)).toEqual(frames.map(() => false));
  });

  it('counts the arrival window from registration: a replay for a connection registered long ago does not wait out 410s', async () => {
    await seedRoom(table.store, 'late', 3);
    await registerMembers(table.store, 'late', ['cd-old'], 60_000);
    aws.gone.add('cd-old');
    await invoke({
      replay: { connectionId: 'cd-old', room: 'late', connectedAt: Date.now() - 60_000 },
    });
    expect(postsTo('cd-old')).toEqual([410]);
  });

  it('still waits for a connection that is young and registered, as before', async () => {
    await seedRoom(table.store, 'young', 2);
    aws.scripts.set('cd-young', [410, 410, 410]);
    await invoke(connectEvent('cd-young', { room: 'young' }));
    const [request] = aws.invocations.splice(0);
    await invoke(request);
    // The session frame, the history, then the room's presence snapshot.
    expect(postsTo('cd-young')).toEqual([410, 410, 410, 200, 200, 200]);
  });

  it('does not hold a broadcast for a young member that has already left: one post, and on', async () => {
    await invoke(connectEvent('cd-stays', { room: 'flood' }));
    aws.reset();
    aws.gone.add('cd-left');
    const members = table.store.listMembers;
    const store = {
      ...table.store,
      // The membership row of a member whose connection item is already gone.
      listMembers: async function* (room: string) {
        yield [{ connectionId: 'cd-left', name: 'gone', shard: 0, connectedAt: Date.now() }];
        yield* members(room);
      },
    };
    const report = await broadcast({
      store,
      api: createConnectionsApi(aws.url, 10),
      log: () => undefined,
      metrics: ignoredMetrics,
      room: 'flood',
      frame: '{"type":"message"}',
      concurrency: 10,
      remainingMs: () => 60_000,
      now: Date.now,
    });
    expect(postsTo('cd-left')).toEqual([410]);
    // Passed by as maybe still arriving: the broadcast after its arrival window prunes the row.
    expect(report).toMatchObject({ delivered: 1, arriving: 1, pruned: 0 });
  });
});
