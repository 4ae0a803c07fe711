import type { LocalStack } from '../../local/stack.js';
import { printTable, round, summarize } from '../stats.js';
import type { BenchContainer, ContainerSnapshot } from './container.js';
import type { RoomSpec } from './crowd/protocol.js';
import type { Crowd } from './crowd.js';
import { startFloor } from './floor.js';

export interface FanoutOptions {
  quick: boolean;
  stack: LocalStack;
  container: BenchContainer;
  crowd: Crowd;
}

/** The rooms, all connected at once: the measured rooms plus a crowd of small ones beside them. */
export const fanoutLayout = (quick: boolean) => {
  const sizes = quick ? [10, 100, 1_000] : [10, 100, 1_000, 5_000];
  const background = quick ? 10 : 30;
  const rooms: RoomSpec[] = [
    ...Array.from({ length: background }, (_, i) => ({ room: `other-${i}`, count: 10 })),
    ...sizes.map((size) => ({ room: `fan-${size}`, count: size })),
  ];
  return { sizes, rooms, clients: rooms.reduce((sum, { count }) => sum + count, 0) };
};

/** Per room size: the fan-out times and what the handler spent on it. */
export interface FanoutRow {
  members: number;
  messages: number;
  last: ReturnType<typeof summarize>;
  first: ReturnType<typeof summarize>;
  floor: ReturnType<typeof summarize>;
  missing: number;
  handler: ContainerSnapshot;
}

/**
 * Time from a send until the last member of the room has the message, for each room size, with
 * every room connected at once; then the same over a bare `ws` broadcast server (the floor).
 */
export const benchFanout = async ({ quick, stack, container, crowd }: FanoutOptions) => {
  const { sizes, rooms, clients } = fanoutLayout(quick);
  const warmup = quick ? 1 : 2;
  const probe = { warmup: 0, messages: quick ? 5 : 20, gapMs: 50, timeoutMs: 30_000 };

  const joined = await crowd.join({
    url: stack.wsUrl,
    group: 'chat',
    rooms,
    batch: 100,
    perSecond: 500,
    awaitReplay: true,
  });
  warnIfShort('chat', joined.connected, clients, joined.firstError);
  await container.idle();
  const chat = [];
  for (const size of sizes) {
    // Warm-up messages first (sockets to the @connections API, JIT), unmeasured and unmetered.
    await crowd.fanout({ group: 'chat', room: `fan-${size}`, ...probe, messages: warmup });
    await container.idle();
    container.reset();
    const result = await crowd.fanout({ group: 'chat', room: `fan-${size}`, ...probe });
    await container.idle(50);
    chat.push({ size, result, handler: container.snapshot() });
  }
  const closed = await crowd.close({ group: 'chat', perSecond: 500 });
  await container.idle();

  const floor = await startFloor();
  const floorResults = new Map<number, number[]>();
  try {
    await crowd.join({
      url: floor.wsUrl,
      group: 'floor',
      rooms,
      batch: 500,
      perSecond: 50_000,
      awaitReplay: false,
    });
    for (const size of sizes) {
      await crowd.fanout({ group: 'floor', room: `fan-${size}`, ...probe, messages: warmup });
      const result = await crowd.fanout({ group: 'floor', room: `fan-${size}`, ...probe });
      floorResults.set(size, result.last);
    }
    await crowd.close({ group: 'floor' });
  } finally {
    await floor.stop();
  }

  const rows: FanoutRow[] = chat.map(({ size, result, handler }) => ({
    members: size,
    messages: result.last.length,
    last: summarize(result.last),
    first: summarize(result.first),
    floor: summarize(floorResults.get(size) ?? []),
    missing: result.missing,
    handler,
  }));
  printFanout(rows);
  const connect = {
    clients,
    connected: joined.connected,
    seconds: round(joined.seconds, 1),
    perSecond: round(joined.connected / joined.seconds, 0),
    'close s (500/s)': round(closed.seconds, 1),
  };
  printTable('Connecting the fan-out rooms (paced at <= 500 new connections/s, batches of 100)', [
    connect,
  ]);
  return { rows, connect, strays: await crowd.strays() };
};

const printFanout = (rows: FanoutRow[]) => {
  printTable(
    'Fan-out: send -> LAST member has it (ms), all rooms connected at once; floor = bare ws broadcast',
    rows.map((row) => ({
      members: row.members,
      messages: row.messages,
      p50: row.last.p50,
      p90: row.last.p90,
      p99: row.last.p99,
      'first p50': row.first.p50,
      'floor p50': row.floor.p50,
      'floor p99': row.floor.p99,
      'x floor (p50)': round(row.last.p50 / row.floor.p50, 1),
      'handler p50': summarize(row.handler.durations.sendmessage ?? []).p50,
      'posts/msg': round(row.handler.posts / row.messages, 1),
      missing: row.missing,
    })),
  );
};

const warnIfShort = (what: string, connected: number, wanted: number, error?: string) => {
  if (connected < wanted) {
    console.warn(`\n!!! ${what}: only ${connected} of ${wanted} clients connected (${error})\n`);
  }
};
