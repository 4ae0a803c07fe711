import { localAwsConfig } from '../../local/dynamodb-local.js';
import type { LocalStack } from '../../local/stack.js';
import { createDocumentClient, createStore } from '../../src/store/index.js';
import { printTable, round, summarize } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { OnBenchStack } from './servers.js';

const ROOM = 'replay-log';

/** Writes `count` messages to the room's log directly through the store, one after another. */
const seed = async (stack: LocalStack, count: number) => {
  const client = createDocumentClient({ ...localAwsConfig, endpoint: stack.dynamoEndpoint });
  const store = createStore({ client, tableName: stack.tableName });
  try {
    for (let i = 0; i < count; i++) {
      await store.appendMessage({
        room: ROOM,
        id: `seed-${i}`,
        author: 'name:seeder',
        sender: 'seeder',
        text: `message ${i} of the log that a late or returning client replays on connect`,
      });
    }
  } finally {
    client.destroy();
  }
};

/**
 * Replay on connect, timed by a fresh client from creating its socket: the latest 50 messages,
 * and a resume with `since` after missing 500 (several `history` frames).
 */
export const benchReplay = async ({ quick, stack, container, crowd }: OnBenchStack) => {
  // The full run resumes after 500 missed messages; --quick after 200, to seed fewer.
  const MISSED = quick ? 200 : 500;
  const total = MISSED + (quick ? 50 : 100);
  const runs = quick ? 5 : 20;
  await seed(stack, total);
  const scenarios = [
    { name: 'connect: latest 50', expect: 50 },
    {
      name: `resume: since=${total - MISSED} (${MISSED} missed)`,
      expect: MISSED,
      since: total - MISSED,
    },
  ];
  const rows = [];
  let lifecycle: ContainerSnapshot | undefined;
  for (const { name, expect, since } of scenarios) {
    await container.idle();
    container.reset();
    const result = await crowd.ask('replay', {
      url: stack.wsUrl,
      room: ROOM,
      expect,
      runs,
      ...(since === undefined ? {} : { since }),
    });
    await container.idle();
    const handler = container.snapshot();
    lifecycle ??= handler;
    const done = summarize(result.done);
    rows.push({
      scenario: name,
      runs,
      'open p50 ms': summarize(result.open).p50,
      'replayed p50 ms': done.p50,
      'p90 ms': done.p90,
      'p99 ms': done.p99,
      frames: round(result.frames.reduce((a, b) => a + b, 0) / runs, 1),
      'replay handler p50 ms': summarize(handler.durations.replay ?? []).p50,
      incomplete: result.incomplete,
    });
  }
  printTable('Replay: from creating the socket until the replayed messages have arrived', rows);
  return { rows, perConnection: perConnection(lifecycle, runs) };
};

/** What one connection's life (connect, replay of 50, disconnect) cost the handler. */
const perConnection = (snapshot: ContainerSnapshot | undefined, runs: number) => {
  if (!snapshot) return undefined;
  const per = (value: number) => round(value / runs, 2);
  return {
    invocations: per(Object.values(snapshot.durations).reduce((sum, d) => sum + d.length, 0)),
    posts: per(snapshot.posts),
    capacity: Object.fromEntries(Object.entries(snapshot.capacity).map(([k, v]) => [k, per(v)])),
    transactWru: per(snapshot.commands.transactWru),
    handlerMs: per(
      Object.values(snapshot.durations)
        .flat()
        .reduce((sum, ms) => sum + ms, 0),
    ),
  };
};
