/**
 * What presence and typing cost in a big room, before and after the coalescing, side by side in
 * one run: two chat stacks one after the other on one DynamoDB Local, "before" configured not to
 * coalesce (every join and leave a notice to everyone, every `typing` frame a broadcast), "after"
 * with the defaults. Each gets a room of 1,000 members (`--quick`: 50), then joins and leaves
 * at a steady rate, typing bursts, and `who`.
 * Run alone: `npx tsx bench/e2e/presence.ts [--quick]` (writes bench/results-presence.json);
 * `npm run bench` runs it with the rest.
 */
import { writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { machine } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import { type Crowd, startCrowd } from './crowd.js';
import { type PhaseResult, printPresence } from './presence-rows.js';
import { BENCH_ENV, checkOpenFiles, withBenchStack } from './servers.js';

/** The settings the two servers differ by (src/config.ts reads them). */
const PRESENCE_SETTINGS = [
  'PRESENCE_NOTICES_UP_TO',
  'PRESENCE_NOTICE_RATE_PER_SECOND',
  'PRESENCE_NOTICE_BURST',
  'OCCUPANCY_INTERVAL_MS',
  'TYPING_INTERVAL_MS',
  'ROOM_TYPING_PER_SECOND',
  'ROOM_TYPING_BURST',
] as const;

/** The bench's environment without its presence settings: each server here sets its own. */
const withoutPresence = (env: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !(PRESENCE_SETTINGS as readonly string[]).includes(name),
    ),
  );

/**
 * No coalescing: notices in a room of any size (the threshold above any room here), no notice
 * rate, no per-connection typing interval, no room typing rate.
 */
const BEFORE = {
  PRESENCE_NOTICES_UP_TO: '1000000',
  PRESENCE_NOTICE_RATE_PER_SECOND: '0',
  TYPING_INTERVAL_MS: '0',
  ROOM_TYPING_PER_SECOND: '0',
};

/** Residents joining before the server must have announced them all. */
const FILL_CHUNK = 100;

/** The defaults' occupancy interval: how long after a count a `who` finds it stale. */
const OCCUPANCY_INTERVAL_MS = 5_000;

/** The room, the churn, the typing: the full run's, or CI's smaller one. */
const scenarioFor = (quick: boolean) => ({
  room: 'presence-big',
  members: quick ? 50 : 1_000,
  /** Members who join, then leave again, at `churnPerSecond`. */
  churn: quick ? 10 : 50,
  churnPerSecond: quick ? 10 : 5,
  /** Each typist's keystrokes: one `typing` frame each, 5 a second (the frame budget's rate). */
  keysPerSecond: 5,
  typingSeconds: quick ? 2 : 10,
  /** Typists in the second burst, all at once. */
  typists: 5,
});

export type PresenceScenario = ReturnType<typeof scenarioFor>;

/**
 * Lambda's maximum function timeout: every invocation shares one event loop here, and the
 * "before" server's fill (each join a notice to everyone already there) queues a backlog that
 * the shipped 29 s would time out for that reason alone.
 */
const FUNCTION_TIMEOUT_MS = 900_000;

/** Sets `settings` in this process's environment (the stack's containers start with it), clearing the others. */
const configure = (settings: Record<string, string>) => {
  for (const name of PRESENCE_SETTINGS) delete process.env[name];
  Object.assign(process.env, settings);
};

/**
 * One server: fill the room (unmeasured but for its totals), then each phase with the handler's
 * meters reset before it and read once every invocation it started has ended (a coalescing
 * trailer's wait included), with what the room's residents received meanwhile.
 */
const measureServer = async (
  crowd: Crowd,
  label: 'before' | 'after',
  settings: Record<string, string>,
  dynamoEndpoint: string,
  scenario: PresenceScenario,
) => {
  configure(settings);
  const options = {
    handler: 'chat',
    tableName: `presence-${label}`,
    runtime: 'containers',
    dynamoEndpoint,
    timeoutMs: FUNCTION_TIMEOUT_MS,
    env: { ...withoutPresence(BENCH_ENV), ...settings },
    note: label === 'before' ? 'Presence and typing' : undefined,
  } as const;
  return withBenchStack(options, async (stack, container) => {
    const { room } = scenario;
    const residents = `${label}-residents`;
    const visitors = `${label}-visitors`;
    const phases: Record<string, PhaseResult> = {};
    const phase = async (name: string, run: () => Promise<unknown>) => {
      await container.idle(200, FUNCTION_TIMEOUT_MS);
      container.reset();
      await crowd.ask('takeCounts', { group: residents }).catch(() => undefined);
      const started = performance.now();
      const answer = await run();
      await container.idle(300, FUNCTION_TIMEOUT_MS);
      const seconds = (performance.now() - started) / 1000;
      const handler: ContainerSnapshot = container.snapshot();
      const frames = await crowd.ask('takeCounts', { group: residents });
      phases[name] = { seconds, handler, frames, answer };
      console.log(`${label}: ${name} took ${seconds.toFixed(1)} s`);
      return answer;
    };

    await phase('fill', async () => {
      // In chunks, each announced in full before the next: the "before" server's notices (one
      // to everyone per join) would otherwise queue until the last joiners' replays time out.
      let joined = 0;
      for (let chunk = 0; joined < scenario.members; chunk++) {
        const count = Math.min(FILL_CHUNK, scenario.members - joined);
        const rooms = [{ room, count }];
        const group = residents;
        const prefix = `resident${chunk}`;
        const pace = { batch: 20, perSecond: 200, awaitReplay: true };
        const answer = await crowd.ask('join', { url: stack.wsUrl, group, rooms, prefix, ...pace });
        joined += count;
        if (answer.failed > 0) console.warn(`${label}: ${answer.failed} failed to join`, answer);
        await container.idle(200, FUNCTION_TIMEOUT_MS);
      }
    });
    const pace = { batch: scenario.churnPerSecond, perSecond: scenario.churnPerSecond };
    await phase('joins', () =>
      crowd.ask('join', {
        url: stack.wsUrl,
        group: visitors,
        rooms: [{ room, count: scenario.churn }],
        prefix: 'visitor',
        ...pace,
        awaitReplay: true,
      }),
    );
    await phase('leaves', () =>
      crowd.ask('close', { group: visitors, perSecond: scenario.churnPerSecond }),
    );
    const lastCount = performance.now();
    const { keysPerSecond, typingSeconds: seconds } = scenario;
    const typing = { group: residents, room, keysPerSecond, seconds };
    await phase('typing1', () => crowd.ask('typing', { ...typing, typists: 1 }));
    // Past the first typist's interval and the room's typing burst, so the second starts afresh.
    await sleep(3_000);
    await phase('typing5', () => crowd.ask('typing', { ...typing, typists: scenario.typists }));
    // A big room's cached count is stale one interval after the last count (the leaves').
    await sleep(Math.max(0, OCCUPANCY_INTERVAL_MS + 500 - (performance.now() - lastCount)));
    await phase('whoStale', () => crowd.ask('who', { group: residents, room }));
    await phase('whoFresh', () => crowd.ask('who', { group: residents, room }));
    const strays = await crowd.ask('takeStrays');
    await crowd.ask('close', { group: residents, perSecond: 500 });
    await container.idle(200, FUNCTION_TIMEOUT_MS);
    return { phases, strays };
  });
};

/** Runs both servers, prints the table and answers everything measured. */
export const benchPresence = async ({ quick = false } = {}) => {
  const scenario = scenarioFor(quick);
  const openFiles = await checkOpenFiles(scenario.members + scenario.churn + 100);
  const touched = [...PRESENCE_SETTINGS, ...Object.keys(BENCH_ENV)];
  const saved = Object.fromEntries(touched.map((name) => [name, process.env[name]]));
  const dynamo = await startDynamoDbLocal();
  const crowd = startCrowd();
  try {
    const before = await measureServer(crowd, 'before', BEFORE, dynamo.endpoint, scenario);
    const after = await measureServer(crowd, 'after', {}, dynamo.endpoint, scenario);
    const rows = printPresence(scenario, before.phases, after.phases);
    for (const [label, { strays }] of Object.entries({ before, after })) {
      if (Object.keys(strays).length > 0)
        console.warn(`\n${label}: frames nobody expected`, strays);
    }
    return {
      scenario,
      settings: { before: BEFORE, after: 'defaults' },
      openFiles,
      rows,
      before,
      after,
    };
  } finally {
    crowd.stop();
    await dynamo.stop();
    // The benchmarks after this one start their stacks from this process's environment.
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const quick = process.argv.includes('--quick');
  const started = new Date().toISOString();
  const presence = await benchPresence({ quick });
  const file = new URL('../results-presence.json', import.meta.url);
  const results = { started, quick, machine: await machine(), presence };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
