import { describe, expect, it } from 'vitest';
import { connectEvent, disconnectEvent, lambdaContext } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';
import { seedRoom } from '../support/table.js';

const { table, aws, invoke, runInvocations } = useHandler();

const seed = (room: string, count: number, text?: (n: number) => string) =>
  seedRoom(table.store, room, count, text);

/** The `history` frames a connection got (a `presence` snapshot follows them). */
const historyFrames = (connectionId: string) =>
  aws.delivered(connectionId).filter((frame) => frame.type === 'history');

const historySeqs = (connectionId: string) =>
  historyFrames(connectionId).flatMap((frame) =>
    (frame.messages as { seq: number }[]).map((m) => m.seq),
  );

describe('replay on connect', () => {
  it('sends the last 50 messages to a new connection', async () => {
    await seed('latest', 60);
    await invoke(connectEvent('r-latest', { room: 'latest' }));
    await runInvocations();
    const frames = historyFrames('r-latest');
    expect(frames.every((f) => f.room === 'latest')).toBe(true);
    expect(aws.delivered('r-latest').at(-1)?.type).toBe('presence');
    expect(historySeqs('r-latest')).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
    expect(frames.at(-1)?.hasMore).toBe(true);
  });

  it('keeps retrying while the connection answers 410 and then delivers the history', async () => {
    await seed('waiting', 3);
    aws.scripts.set('r-wait', [410, 410, 410, 410]);
    await invoke(connectEvent('r-wait', { room: 'waiting' }));
    await runInvocations();
    expect(aws.posts.filter((p) => p.connectionId === 'r-wait').map((p) => p.status)).toEqual([
      410, 410, 410, 410, 200, 200, 200,
    ]);
    expect(historySeqs('r-wait')).toEqual([1, 2, 3]);
  });

  it('waits out the 410s after a $connect slower than the old 5 s grace (a cold start), counting from when it registered', async () => {
    await seed('slow-start', 2);
    aws.scripts.set('r-slow', [410, 410, 410]);
    // The gateway accepted the socket 8 s before `$connect` ran.
    await invoke(
      connectEvent('r-slow', { room: 'slow-start' }, { connectedAt: Date.now() - 8_000 }),
    );
    await runInvocations();
    expect(historySeqs('r-slow')).toEqual([1, 2]);
  });

  it('keeps waiting for a connection registered 25 s ago, within the arrival window', async () => {
    await seed('slower', 2);
    await registerMembers(table.store, 'slower', ['r-slower'], 25_000);
    aws.scripts.set('r-slower', [410, 410]);
    await invoke({
      replay: { connectionId: 'r-slower', room: 'slower', connectedAt: Date.now() - 25_000 },
    });
    expect(historySeqs('r-slower')).toEqual([1, 2]);
  });

  it('stops at the first 410 once it has found the socket open: the client has left', async () => {
    await seed('left', 2);
    await invoke(connectEvent('r-left', { room: 'left' }));
    // The history is delivered; the presence snapshot after it meets the socket closed.
    aws.scripts.set('r-left', [200, 410]);
    await runInvocations();
    expect(aws.posts.filter((p) => p.connectionId === 'r-left').map((p) => p.status)).toEqual([
      200, 410,
    ]);
  });

  it('hands a replay still waiting for $connect when its invocation runs short of time over to a fresh invocation', async () => {
    await seed('handover', 2);
    await invoke(connectEvent('r-handover', { room: 'handover' }));
    const [request] = aws.invocations.splice(0);
    aws.connecting.add('r-handover');
    let checks = 0;
    // Time for a few checks, then the invocation is about to time out.
    await invoke(
      request,
      lambdaContext(() => (++checks <= 2 ? 20_000 : 4_000)),
    );
    expect(aws.invocations).toEqual([request]);
    expect(aws.delivered('r-handover')).toEqual([]);
    // The fresh invocation finds the socket open and replays as ever.
    aws.connecting.delete('r-handover');
    await runInvocations();
    expect(historySeqs('r-handover')).toEqual([1, 2]);
    expect(aws.delivered('r-handover').at(-1)?.type).toBe('presence');
  });

  it('splits history larger than 32 KiB into several frames, each under 32 KiB', async () => {
    await seed('big', 20, (n) => `${n}:${'x'.repeat(4000)}`);
    await invoke(connectEvent('r-big', { room: 'big' }));
    await runInvocations();
    const posts = aws.posts.filter((p) => p.connectionId === 'r-big');
    expect(posts.length).toBeGreaterThan(1);
    for (const post of posts) expect(Buffer.byteLength(post.body)).toBeLessThan(32 * 1024);
    expect(historySeqs('r-big')).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('sends exactly the messages after since to a resuming client', async () => {
    await seed('resume', 30);
    await invoke(connectEvent('r-since', { room: 'resume', since: '27' }));
    await runInvocations();
    expect(historySeqs('r-since')).toEqual([28, 29, 30]);
    expect(historyFrames('r-since').at(-1)?.hasMore).toBe(false);
  });

  it('asks for its replay with neither the address nor the name: Lambda keeps a failed one for 14 days', async () => {
    await invoke(connectEvent('r-watch', { room: 'private', name: 'watcher' }));
    await runInvocations();
    const event = connectEvent('r-private', { room: 'private', name: 'zelda', since: '0' });
    event.requestContext.identity = { sourceIp: '203.0.113.77', userAgent: 'vitest' };
    await invoke(event);
    const payload = JSON.stringify(aws.invocations);
    expect(payload).not.toContain('203.0.113.77');
    expect(payload).not.toContain('zelda');
    expect(aws.invocations).toEqual([
      {
        replay: {
          connectionId: 'r-private',
          room: 'private',
          connectedAt: expect.any(Number),
          since: 0,
        },
      },
    ]);
    // The replay reads the name from the connection, and the room still hears who joined.
    await runInvocations();
    expect(aws.delivered('r-watch').at(-1)).toMatchObject({ type: 'join', name: 'zelda' });
  });

  it('gives up at once, reading no history, for a client that left before its replay ran', async () => {
    await seed('left-early', 5);
    await invoke(connectEvent('r-early', { room: 'left-early' }));
    await invoke(disconnectEvent('r-early'));
    aws.reset();
    aws.gone.add('r-early');
    await invoke({
      replay: { connectionId: 'r-early', room: 'left-early', connectedAt: Date.now() },
    });
    expect(aws.posts).toEqual([]);
  });

  it('names the room’s log in every history frame, fresh or resumed: when it began, in ISO 8601', async () => {
    await seed('named', 20, (n) => `${n}:${'x'.repeat(4000)}`);
    const created = await table.store.logCreated('named');
    await invoke(connectEvent('r-named', { room: 'named' }));
    await invoke(connectEvent('r-named-since', { room: 'named', since: '2' }));
    await runInvocations();
    for (const id of ['r-named', 'r-named-since']) {
      expect(historyFrames(id).length).toBeGreaterThan(1);
      for (const frame of historyFrames(id)) {
        expect(frame.log).toBe(new Date(created as number).toISOString());
      }
    }
  });

  it('tells a client in an empty room that there is no history', async () => {
    await invoke(connectEvent('r-empty', { room: 'silent' }));
    await runInvocations();
    expect(aws.delivered('r-empty')).toEqual([
      expect.objectContaining({ type: 'session', room: 'silent' }),
      { type: 'history', room: 'silent', messages: [], hasMore: false },
      expect.objectContaining({ type: 'presence', room: 'silent', count: 1 }),
    ]);
  });
});
