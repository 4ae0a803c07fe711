import { afterAll, describe, expect, it, vi } from 'vitest';
import { type FanOutOptions, fanOut } from '../../src/broadcast/fan-out.js';
import { createLogger } from '../../src/log.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { MEMBER_SHARDS } from '../../src/store/index.js';
import { sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';
import { ignoredMetrics } from '../support/metrics.js';

// Read once per container, like every setting: a room above 20 members is split.
const previous = process.env.FANOUT_MEMBERS_PER_WORKER;
process.env.FANOUT_MEMBERS_PER_WORKER = '20';
afterAll(() => {
  if (previous === undefined) delete process.env.FANOUT_MEMBERS_PER_WORKER;
  else process.env.FANOUT_MEMBERS_PER_WORKER = previous;
});

const { table, aws, invoke } = useHandler();

const register = (room: string, ids: string[], ago?: number) =>
  registerMembers(table.store, room, ids, ago);

const ids = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, n) => `${prefix}-${String(n).padStart(3, '0')}`);

/** How many `message` frames with this text each connection was sent. */
/** Fans `frame` out to `room` from here, 20 members a worker, each worker a real invocation. */
const fanOutInWorkers = (target: Pick<FanOutOptions, 'room' | 'frame' | 'skip'>) =>
  fanOut({
    ...target,
    store: table.store,
    api: createConnectionsApi(aws.url, 10),
    log: createLogger(),
    metrics: ignoredMetrics,
    concurrency: 10,
    remainingMs: () => 20_000,
    membersPerWorker: 20,
    invokeWorker: (work) => invoke({ fanout: work }) as never,
    now: Date.now,
  });

const received = (text: string) => {
  const counts = new Map<string, number>();
  for (const post of aws.posts) {
    const frame = JSON.parse(post.body) as { type: string; text?: string };
    if (post.status === 200 && frame.type === 'message' && frame.text === text) {
      counts.set(post.connectionId, (counts.get(post.connectionId) ?? 0) + 1);
    }
  }
  return counts;
};

interface Work {
  fanout: { room: string; shards: number[]; skip?: string; variants?: Record<string, null> };
}

describe('fan-out across invocations', () => {
  it('splits a big room by shard across worker invocations and posts to every member once', async () => {
    const members = ids('big', 300);
    await register('big', members);
    aws.reset();

    await invoke(sendFrame('big-000', { message: 'to all 300' }));

    const counts = received('to all 300');
    expect([...counts.keys()].sort()).toEqual(members);
    expect(new Set(counts.values())).toEqual(new Set([1]));
    // Every shard but the sender invocation's own group went to a worker, and no shard twice.
    const work = aws.syncInvocations as Work[];
    expect(work.length).toBeGreaterThanOrEqual(1);
    const sharded = work.flatMap((w) => w.fanout.shards);
    expect(new Set(sharded).size).toBe(sharded.length);
    expect(sharded.length).toBe(MEMBER_SHARDS - MEMBER_SHARDS / (work.length + 1));
    // The sender has it already (its acknowledgement): no worker posts it again.
    for (const w of work) {
      expect(w.fanout).toMatchObject({ room: 'big', variants: { 'big-000': null } });
    }
    // The sender's acknowledgement went out before any other post.
    expect(aws.posts[0]?.connectionId).toBe('big-000');
  });

  it('gives a message’s id to its sender alone, in every worker too', async () => {
    const members = ids('ids', 100);
    await register('ids', members);
    aws.reset();

    await invoke(sendFrame('ids-000', { message: 'whose id?', id: 'only-mine' }));

    expect(aws.syncInvocations.length).toBeGreaterThanOrEqual(1);
    expect(received('whose id?').size).toBe(100);
    const withId = aws.posts.filter((post) => post.body.includes('only-mine'));
    expect(withId.map((post) => post.connectionId)).toEqual(['ids-000']);
  });

  it('keeps a small room in one invocation', async () => {
    const members = ids('small', 20);
    await register('small', members);
    aws.reset();

    await invoke(sendFrame('small-000', { message: 'just us' }));

    expect(received('just us').size).toBe(20);
    expect(aws.syncInvocations).toEqual([]);
  });

  it('posts a failed worker’s members from the sending invocation, so everyone still gets it', async () => {
    const members = ids('flaky', 200);
    await register('flaky', members);
    aws.reset();
    const run = aws.runSync;
    let failures = 0;
    aws.runSync = async (payload) => {
      if (failures++ === 0) throw Object.assign(new Error('worker crashed'), { name: 'Crash' });
      return run?.(payload);
    };

    await invoke(sendFrame('flaky-000', { message: 'despite a crash' }));

    const counts = received('despite a crash');
    expect([...counts.keys()].sort()).toEqual(members);
    // The worker failed before posting: nobody got it twice.
    expect(new Set(counts.values())).toEqual(new Set([1]));
  });

  it('reaches members who stay, once each, while others join and leave during the fan-out', async () => {
    const stayers = ids('churn', 150);
    const leavers = ids('leave', 40);
    const joiners = ids('join', 40);
    await register('churn', [...stayers, ...leavers]);
    aws.reset();
    const run = aws.runSync;
    let churned = false;
    aws.runSync = async (payload) => {
      if (!churned) {
        churned = true;
        await Promise.all([
          register('churn', joiners),
          ...leavers.map((id) => table.store.removeConnection(id, 'churn')),
        ]);
      }
      return run?.(payload);
    };

    await invoke(sendFrame('churn-000', { message: 'amid churn' }));

    const counts = received('amid churn');
    for (const id of stayers) expect(counts.get(id), id).toBe(1);
    for (const id of [...leavers, ...joiners]) expect(counts.get(id) ?? 0).toBeLessThanOrEqual(1);
  });

  it('skips the connection it is told to skip in every worker, and returns whom the workers pruned', async () => {
    const members = ids('skips', 120);
    await register('skips', members);
    aws.reset();
    const gone = members.filter((_, n) => n % 30 === 7);
    for (const id of gone) aws.gone.add(id);

    const report = await fanOutInWorkers({
      room: 'skips',
      frame: '{"type":"typing"}',
      skip: 'skips-050',
    });

    expect(report.workers).toBeGreaterThan(1);
    const posted = new Set(aws.posts.map((p) => p.connectionId));
    expect(posted.has('skips-050')).toBe(false);
    expect(posted.size).toBe(119);
    expect(report.removed.map((c) => c.connectionId).sort()).toEqual(gone);
  });

  it('passes members still connecting by in every worker, counting them and pruning none', async () => {
    const settled = ids('arrive', 100);
    // Registered 10 s ago, their `$connect`s still running (the old 5 s grace would prune them).
    const arriving = ids('slow', 20);
    await register('arrive', settled);
    await register('arrive', arriving, 10_000);
    aws.reset();
    for (const id of arriving) aws.connecting.add(id);

    const report = await fanOutInWorkers({ room: 'arrive', frame: '{"type":"message"}' });

    expect(report.workers).toBeGreaterThan(1);
    expect(report).toMatchObject({ delivered: 100, arriving: 20, pruned: 0, takenBack: 0 });
    for (const id of arriving) {
      expect(aws.posts.filter((p) => p.connectionId === id).map((p) => p.status)).toEqual([410]);
    }
    for (const id of arriving.slice(0, 3)) {
      expect(await table.store.getConnection(id)).toBeDefined();
    }
  });

  it('delivers a busy room’s batches through its workers too: every member gets every message once', async () => {
    const members = ids('batch', 100);
    await register('batch', members);
    aws.reset();
    const release = aws.holdNext('batch-099');
    const first = invoke(sendFrame('batch-000', { message: 'first' }));
    await vi.waitFor(() => expect(aws.syncInvocations.length).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    await Promise.all(
      members.slice(1, 6).map((sender) => invoke(sendFrame(sender, { message: sender }))),
    );
    release();
    await first;
    const batches = (aws.syncInvocations as { fanout: { frame: string } }[]).filter(
      (work) => JSON.parse(work.fanout.frame).type === 'messages',
    );
    expect(batches.length).toBeGreaterThan(0);
    for (const member of members) {
      const seqs = aws.messagesTo(member).map((message) => message.seq);
      expect(seqs.toSorted()).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });
});
