/**
 * Fan-out, side by side: for each room size, the time from a send until the last member has it
 * on the chat, on the seeds' naive handler (Scan + `Promise.all` through the SDK client,
 * bench/e2e/seeds) and on a bare `ws` broadcast server (the floor), with the same layout for all
 * three: one room of that size connected alone, warm-up messages, then the measured sends.
 * Run alone: `npx tsx bench/e2e/fanout.ts [--quick] [--runs=3] [--sizes=500,2000]`; it prints
 * every run and writes bench/fanout.svg. `npm run bench` runs it once with the rest.
 */
import { pathToFileURL } from 'node:url';
import { startDynamoDbLocal } from '../../local/dynamodb-local.js';
import { startLocalStack } from '../../local/stack.js';
import { machine, round } from '../stats.js';
import { createBenchContainer } from './container.js';
import { startCrowd } from './crowd.js';
import { writeFanoutChart } from './fanout-chart-file.js';
import { type FanoutRow, fanoutRows, printFanout, printRatios } from './fanout-rows.js';
import { type FanoutTarget, measureSize, type Probe, type SizeResult } from './fanout-target.js';
import { startFloor } from './floor.js';
import { BENCH_ENV } from './index.js';
import { checkOpenFiles } from './limits.js';
import { benchRuntime } from './runtime.js';
import { warmDynamo } from './warm-dynamo.js';

export type { FanoutRow } from './fanout-rows.js';

/** The room sizes measured: CI's quick run stops at 500. */
export const fanoutSizes = (quick: boolean) =>
  quick ? [10, 100, 500] : [10, 100, 500, 1_000, 2_000, 5_000];

/** Messages a target's unrecorded warm-up room gets before its first measured size. */
const WARM_UP_MESSAGES = 20;

/**
 * Connections still joining at once: each keeps two containers busy ($connect, then replay), and
 * 16 are provisioned (bench/e2e/runtime.ts), so the join does not begin with a burst of cold
 * starts (~0.25 s of CPU each) that 2 cores cannot catch up with (throttled `$connect`s, a
 * spiral to the 100-container limit).
 */
const JOIN_IN_FLIGHT = 8;

/** Connections made a second while a room is set up. */
const JOIN_PER_SECOND = 200;

/** Connections closed a second afterwards: closes are not capped in flight, joins are. */
const CLOSE_PER_SECOND = 100;

const probeFor = (quick: boolean): Probe => ({
  warmup: quick ? 1 : 2,
  messages: quick ? 5 : 20,
  gapMs: 50,
  timeoutMs: 30_000,
});

/** Every size on one of the handler's stacks (its own table on the shared DynamoDB Local). */
const onStack = async (
  name: 'chat' | 'seeds',
  dynamoEndpoint: string,
  measure: (target: FanoutTarget) => Promise<SizeResult[]>,
) => {
  const container = createBenchContainer(name);
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    dynamoEndpoint,
    tableName: `fanout-${name}`,
    handler: container.handler,
    ...benchRuntime('containers'),
    env: { ...(name === 'chat' ? BENCH_ENV : { AWS_LAMBDA_LOG_LEVEL: 'warn' }), ...container.env },
  });
  try {
    return await measure({
      name,
      wsUrl: stack.wsUrl,
      // The chat's clients count as joined once their replay arrived; the seeds replay nothing.
      // Joining is not what is measured here: see JOIN_IN_FLIGHT.
      join: { batch: JOIN_IN_FLIGHT, perSecond: JOIN_PER_SECOND, awaitReplay: name === 'chat' },
      closePerSecond: CLOSE_PER_SECOND,
      container,
    });
  } finally {
    await container.idle();
    await stack.stop();
    container.close();
  }
};

/** One side-by-side run: every size on the chat, then on the seeds, then on the floor. */
export const benchFanout = async ({ quick = false, sizes = fanoutSizes(quick) } = {}) => {
  const started = performance.now();
  const openFiles = await checkOpenFiles(Math.max(...sizes) + 200);
  const probe = probeFor(quick);
  const dynamo = await startDynamoDbLocal();
  await warmDynamo(dynamo.endpoint);
  const crowd = startCrowd();
  const each = async (target: FanoutTarget) => {
    // A fresh stack (and DynamoDB Local's JVM) is cold: a 100-member room's messages warm each
    // target up first, unrecorded, so no target pays for coming first.
    await measureSize(crowd, target, 100, { ...probe, warmup: 0, messages: WARM_UP_MESSAGES });
    const results: SizeResult[] = [];
    for (const size of sizes) results.push(await measureSize(crowd, target, size, probe));
    return results;
  };
  let chat: SizeResult[];
  let seeds: SizeResult[];
  let floorResults: SizeResult[];
  try {
    chat = await onStack('chat', dynamo.endpoint, each);
    seeds = await onStack('seeds', dynamo.endpoint, each);
    const floor = await startFloor();
    try {
      const join = { batch: 500, perSecond: 50_000, awaitReplay: false };
      floorResults = await each({ name: 'floor', wsUrl: floor.wsUrl, join });
    } finally {
      await floor.stop();
    }
  } finally {
    crowd.stop();
    await dynamo.stop();
  }
  const rows = fanoutRows({ chat, seeds, floor: floorResults });
  printFanout(rows, probe);
  const seconds = round((performance.now() - started) / 1000, 0);
  console.log(`fan-out, side by side: ${seconds} s`);
  return { sizes, probe, openFiles, rows, seconds };
};

/** Several side-by-side runs; prints each run's ratios together at the end. */
export const benchFanoutRuns = async (options: {
  quick: boolean;
  runs: number;
  sizes?: number[];
}) => {
  const runs: { rows: FanoutRow[]; seconds: number }[] = [];
  for (let run = 1; run <= options.runs; run++) {
    if (options.runs > 1) console.log(`\n=== fan-out run ${run} of ${options.runs}`);
    const { rows, seconds } = await benchFanout({
      quick: options.quick,
      ...(options.sizes ? { sizes: options.sizes } : {}),
    });
    runs.push({ rows, seconds });
  }
  printRatios(runs.map(({ rows }) => rows));
  return runs;
};

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);

/** `--sizes=500,2000`: positive whole numbers, or a clear error. */
const parseSizes = (text: string | undefined) => {
  if (text === undefined) return undefined;
  const sizes = text.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`--sizes must be room sizes (whole numbers >= 1), comma-separated: ${text}`);
  }
  return sizes;
};

const parseRuns = (text: string | undefined) => {
  const runs = Number(text ?? '1');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be >= 1: ${text}`);
  return runs;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const sizes = parseSizes(argument('sizes'));
  const runs = await benchFanoutRuns({
    quick: process.argv.includes('--quick'),
    runs: parseRuns(argument('runs')),
    ...(sizes ? { sizes } : {}),
  });
  const file = await writeFanoutChart(
    runs.map(({ rows }) => rows),
    await machine(),
  );
  console.log(`\n${runs.reduce((sum, run) => sum + run.seconds, 0)} s; wrote ${file}`);
}
