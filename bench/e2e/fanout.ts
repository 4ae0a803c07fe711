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
import { machine, option, round } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { Probe } from './crowd/fanout.js';
import { type CrowdAnswer, startCrowd } from './crowd.js';
import {
  type FanoutRow,
  fanoutRows,
  printFanout,
  printRatios,
  writeFanoutChart,
} from './fanout-report.js';
import { BENCH_ENV, checkOpenFiles, eachTarget, measureRooms } from './servers.js';
import { warmDynamo } from './warm-dynamo.js';

export type { FanoutRow } from './fanout-report.js';

/** The room sizes measured: CI's quick run (which only checks that it works) takes one, 100. */
export const fanoutSizes = (quick: boolean) =>
  quick ? [100] : [10, 100, 500, 1_000, 2_000, 5_000];

/** Messages a target's unrecorded warm-up room gets before its first measured size. */
const WARM_UP_MESSAGES = 20;

/**
 * Connections still joining at once: each keeps two containers busy ($connect, then replay); a
 * paced join measures the room, not the setup.
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

/** One room size measured on one target. */
export interface SizeResult {
  size: number;
  result: CrowdAnswer<'fanout'>;
  handler?: ContainerSnapshot | undefined;
}

/** One side-by-side run: every size on the chat, then on the seeds, then on the floor. */
export const benchFanout = async ({ quick = false, sizes = fanoutSizes(quick) } = {}) => {
  const started = performance.now();
  const openFiles = await checkOpenFiles(Math.max(...sizes) + 200);
  const probe = probeFor(quick);
  const dynamo = await startDynamoDbLocal();
  // CI's quick run only checks that it works: no warm-ups, whose figures it would not read.
  if (!quick) await warmDynamo(dynamo.endpoint);
  const crowd = startCrowd();
  try {
    const results = await eachTarget(
      { dynamoEndpoint: dynamo.endpoint, runtime: 'containers', env: BENCH_ENV },
      {
        tablePrefix: 'fanout',
        join: { batch: JOIN_IN_FLIGHT, perSecond: JOIN_PER_SECOND },
        closePerSecond: CLOSE_PER_SECOND,
      },
      async (target) => {
        /** One room of `size` alone on the target: warm-up messages, then the measured sends. */
        const measureSize = async (size: number, { warmup, ...sends }: Probe) => {
          const [group, room] = [`${target.name}-${size}`, `fan-${size}`];
          const send = (messages: number) =>
            crowd.ask('fanout', { group, room, ...sends, warmup: 0, messages });
          const measured = await measureRooms(
            crowd,
            target,
            { group, rooms: [{ room, count: size }] },
            () => send(sends.messages),
            () => send(warmup),
          );
          return { size, ...measured };
        };
        // A fresh stack (and DynamoDB Local's JVM) is cold: a 100-member room's messages warm
        // each target up first, unrecorded, so no target pays for coming first.
        if (!quick) await measureSize(100, { ...probe, warmup: 0, messages: WARM_UP_MESSAGES });
        const measured: SizeResult[] = [];
        for (const size of sizes) measured.push(await measureSize(size, probe));
        return measured;
      },
    );
    const rows = fanoutRows(results);
    printFanout(rows, probe);
    const seconds = round((performance.now() - started) / 1000, 0);
    console.log(`fan-out, side by side: ${seconds} s`);
    return { sizes, probe, openFiles, rows, seconds };
  } finally {
    crowd.stop();
    await dynamo.stop();
  }
};

/** `--sizes=500,2000`: positive whole numbers, or a clear error. */
const parseSizes = (text: string | undefined) => {
  if (text === undefined) return undefined;
  const sizes = text.split(',').map(Number);
  if (sizes.some((size) => !Number.isInteger(size) || size < 1)) {
    throw new Error(`--sizes must be room sizes (whole numbers >= 1), comma-separated: ${text}`);
  }
  return sizes;
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const runs = Number(option('runs') ?? '1');
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be >= 1: ${runs}`);
  const sizes = parseSizes(option('sizes'));
  const all: { rows: FanoutRow[]; seconds: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`\n=== fan-out run ${run} of ${runs}`);
    const quick = process.argv.includes('--quick');
    all.push(await benchFanout({ quick, ...(sizes ? { sizes } : {}) }));
  }
  printRatios(all.map(({ rows }) => rows));
  const file = await writeFanoutChart(
    all.map(({ rows }) => rows),
    await machine(),
  );
  console.log(`\n${all.reduce((sum, run) => sum + run.seconds, 0)} s; wrote ${file}`);
}
