import { describe, expect, it } from 'vitest';
import { broadcast } from '../../src/broadcast/broadcast.js';
import { createLogger } from '../../src/log.js';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import type { Member } from '../../src/store/index.js';
import { sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';
import { ignoredMetrics } from '../support/metrics.js';

// A 410 means "not open yet" for 30 s from registration, as documented (docs/architecture.md,
// "Broadcast"): written here, not imported, so that a change to the constant in src fails.
const ARRIVAL_WINDOW_MS = 30_000;

const { table, aws, invoke } = useHandler();

const register = (room: string, ids: string[], ago?: number) =>
  registerMembers(table.store, room, ids, ago);

const members = async (room: string) => {
  const ids: string[] = [];
  for await (const page of table.store.listMembers(room))
    ids.push(...page.map((m) => m.connectionId));
  return ids.sort();
};

const quietLog = createLogger();

/** Broadcasts to `room` through the fake `@connections` API, ten posts at once, with time to spare. */
const broadcastTo = (room: string, options: Partial<Parameters<typeof broadcast>[0]> = {}) =>
  broadcast({
    store: table.store,
    api: createConnectionsApi(aws.url, options.concurrency ?? 10),
    log: quietLog,
    metrics: ignoredMetrics,
    room,
    frame: '{"type":"message"}',
    concurrency: 10,
    remainingMs: () => 10_000,
    now: Date.now,
    ...options,
  });

describe('broadcast', () => {
  it('reaches 1,000 members, prunes exactly the 10% that are gone and retries a 429 until it succeeds', async () => {
    const ids = Array.from({ length: 1000 }, (_, n) => `b-${String(n).padStart(4, '0')}`);
    const sender = ids[0] as string;
    const stale = ids.filter((_, n) => n % 10 === 5);
    await register('big', ids);
    aws.reset();
    for (const id of stale) aws.gone.add(id);
    aws.scripts.set('b-0007', [429, 429, 429]);
    aws.scripts.set('b-0008', [500]);

    await invoke(sendFrame(sender, { message: 'to everyone' }));

    // (The prunes' leaves follow as the room's occupancy: only the message's posts count here.)
    const messages = (id: string) =>
      aws.posts.filter((p) => p.connectionId === id && JSON.parse(p.body).type === 'message');
    const live = ids.filter((id) => !stale.includes(id));
    for (const id of live) expect(messages(id).filter((p) => p.status === 200)).toHaveLength(1);
    expect(messages('b-0007').map((p) => p.status)).toEqual([429, 429, 429, 200]);
    expect(messages('b-0008').map((p) => p.status)).toEqual([500, 200]);
    expect(await members('big')).toEqual(live);
    for (const id of stale.slice(0, 5)) expect(await table.store.getConnection(id)).toBeUndefined();
    expect(await table.store.getConnection(sender)).toBeDefined();
  });

  it('does not retry a 413 or a 403, and one member failing never fails the rest', async () => {
    await register('picky', ['p-1', 'p-2', 'p-3']);
    aws.reset();
    aws.scripts.set('p-1', [413]);
    aws.scripts.set('p-2', [403]);
    const report = await broadcastTo('picky');
    expect(report).toEqual({
      delivered: 1,
      pruned: 0,
      arriving: 0,
      failed: 2,
      unreached: 0,
      removed: [],
    });
    expect(aws.posts.map((p) => p.connectionId).sort()).toEqual(['p-1', 'p-2', 'p-3']);
    expect(await members('picky')).toEqual(['p-1', 'p-2', 'p-3']);
  });

  it('stops cleanly when the function runs short of time and counts who it did not reach', async () => {
    const ids = Array.from({ length: 30 }, (_, n) => `t-${n}`);
    await register('late', ids);
    aws.reset();
    let budget = 10_000;
    const report = await broadcastTo('late', {
      concurrency: 1,
      // Each check costs a second of pretend time: ten members fit before the reserve.
      remainingMs: () => {
        budget -= 1_000;
        return budget + 2_000;
      },
      now: Date.now,
    });
    expect(report.delivered + report.unreached).toBe(30);
    expect(report.delivered).toBe(10);
    expect(aws.posts).toHaveLength(10);
  });

  it('never has more posts in flight than its concurrency', async () => {
    const ids = Array.from({ length: 60 }, (_, n) => `c-${n}`);
    await register('bounded', ids);
    aws.reset();
    let inFlight = 0;
    let peak = 0;
    const api = {
      post: async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight--;
      },
      delete: async () => undefined,
    };
    const report = await broadcastTo('bounded', { api, concurrency: 7 });
    expect(report.delivered).toBe(60);
    expect(peak).toBe(7);
  });

  it('passes a member whose $connect may still be running by at once, neither waiting for it nor pruning it, however slow its $connect', async () => {
    await register('arrivals', ['new-1'], 0);
    // Registered 20 s ago, its `$connect` still running: four times the old 5 s grace.
    await register('arrivals', ['slow-1'], 20_000);
    await register('arrivals', ['old-1', 'here-1']);
    aws.reset();
    aws.connecting.add('new-1');
    aws.connecting.add('slow-1');
    aws.gone.add('old-1');
    const started = Date.now();
    const report = await broadcastTo('arrivals');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(report).toMatchObject({ delivered: 1, pruned: 1, arriving: 2, failed: 0 });
    expect(report.removed.map((c) => c.connectionId)).toEqual(['old-1']);
    for (const id of ['new-1', 'slow-1']) {
      expect(aws.posts.filter((p) => p.connectionId === id).map((p) => p.status)).toEqual([410]);
      expect(await table.store.getConnection(id)).toBeDefined();
    }
    expect(await members('arrivals')).toEqual(['here-1', 'new-1', 'slow-1']);
  });

  it('prunes a member that answers 410 once the arrival window since its registration has passed', async () => {
    await register('window', ['inside-1'], ARRIVAL_WINDOW_MS - 2_000);
    await register('window', ['outside-1'], ARRIVAL_WINDOW_MS + 1_000);
    aws.reset();
    aws.gone.add('inside-1');
    aws.gone.add('outside-1');
    const report = await broadcastTo('window');
    expect(report).toMatchObject({ delivered: 0, pruned: 1, arriving: 1 });
    expect(report.removed.map((c) => c.connectionId)).toEqual(['outside-1']);
    expect(await members('window')).toEqual(['inside-1']);
    expect(await table.store.getConnection('outside-1')).toBeUndefined();
  });

  it('prunes a sender that answers 410 however new it is: its own frame proved its socket open', async () => {
    await register('sender', ['sender-1', 'other-1'], 0);
    aws.reset();
    aws.gone.add('sender-1');
    const report = await broadcastTo('sender', {
      first: { connectionId: 'sender-1', connectedAt: Date.now() },
    });
    expect(report).toMatchObject({ delivered: 1, pruned: 1, arriving: 0 });
    expect(aws.posts.filter((p) => p.connectionId === 'sender-1').map((p) => p.status)).toEqual([
      410,
    ]);
    expect(await members('sender')).toEqual(['other-1']);
  });

  it('posts `firstFrame` to the first member only, and `frame` to everyone else', async () => {
    await register('own-frame', ['own-1', 'other-1', 'other-2']);
    aws.reset();
    await broadcastTo('own-frame', {
      first: { connectionId: 'own-1' },
      firstFrame: '{"type":"message","id":"c-1"}',
    });
    expect(aws.delivered('own-1')).toEqual([{ type: 'message', id: 'c-1' }]);
    expect(aws.delivered('other-1')).toEqual([{ type: 'message' }]);
    expect(aws.delivered('other-2')).toEqual([{ type: 'message' }]);
  });

  it('reports as removed only the pruned members it removed itself, not one $disconnect removed first', async () => {
    await register('raced', ['raced-gone', 'raced-left', 'raced-here']);
    const listed: Member[] = [];
    for await (const page of table.store.listMembers('raced')) listed.push(...page);
    // `$disconnect` removes one of them after the broadcast read the members.
    await table.store.removeConnection('raced-left');
    aws.reset();
    aws.gone.add('raced-gone');
    aws.gone.add('raced-left');
    const report = await broadcastTo('raced', {
      members: (async function* () {
        yield listed;
      })(),
    });
    expect(report.pruned).toBe(2);
    expect(report.removed).toEqual([
      expect.objectContaining({ connectionId: 'raced-gone', room: 'raced', name: 'raced-gone' }),
    ]);
  });
});
