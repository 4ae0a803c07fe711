/**
 * End-to-end benchmarks: the real handler behind the emulator with DynamoDB Local
 * (`startLocalStack`), driven by real `ws` clients in a separate process.
 * Run alone: `npx tsx bench/e2e/index.ts [--quick]`; `npm run bench` runs it with the rest.
 */
import { pathToFileURL } from 'node:url';
import { benchBatching } from './batching.js';
import { benchBurst } from './burst.js';
import { benchColdStart } from './cold-start.js';
import { benchConnectDrop } from './connect-drop.js';
import { costPerMessage } from './cost.js';
import { startCrowd } from './crowd.js';
import { benchFanout } from './fanout.js';
import { benchPresence } from './presence.js';
import { benchReplay } from './replay.js';
import { benchReview } from './review.js';
import { BENCH_ENV, checkOpenFiles, withBenchStack } from './servers.js';
import { benchThroughput } from './throughput.js';

/**
 * The side-by-side fan-out (on stacks of its own), then throughput, replay and the connect-drop
 * flood on one stack; the burst benchmark needs the product's own rate limit, so it runs on
 * stacks of its own, and so do batched delivery (off and on), presence and typing (before and
 * after the coalescing) and the review hook (without and with a review function), last.
 */
export const benchEndToEnd = async (
  options: { quick?: boolean; skip?: readonly string[] } = {},
) => {
  const quick = options.quick ?? false;
  const skip = new Set(options.skip ?? []);
  /** A comparison left out of this run (`--skip`): said, and recorded as skipped. */
  const unlessSkipped = <T>(part: EndToEndPart, run: () => Promise<T>) => {
    if (!skip.has(part)) return timed(part, run);
    console.log(`[end-to-end, ${part}: skipped]`);
    return Promise.resolve({ skipped: true } as const);
  };
  const fanout = await timed('fan-out', () => benchFanout({ quick }));
  const room100 = fanout.rows.find((row) => row.members === 100);
  const cost = room100 ? costPerMessage(room100) : undefined;
  const measured = await timed('throughput, replay, connect-drop', () =>
    benchOnBenchStack({ quick }),
  );
  const burst = await unlessSkipped('burst', () => benchBurst({ quick }));
  const batching = await unlessSkipped('batching', () => benchBatching({ quick }));
  const presence = await unlessSkipped('presence', () => benchPresence({ quick }));
  const review = await unlessSkipped('review', () => benchReview({ quick }));
  return { fanout, cost, ...measured, burst, batching, presence, review };
};

/** The end-to-end parts a run may leave out: each compares settings on stacks of its own. */
export const SKIPPABLE = ['burst', 'batching', 'presence', 'review'] as const;
export type EndToEndPart = (typeof SKIPPABLE)[number];

/** The parts `--skip=a,b` names; an unknown name is an error, not a silent full run. */
export const skippedParts = (argv: readonly string[]): EndToEndPart[] => {
  const named = argv.find((arg) => arg.startsWith('--skip='))?.slice('--skip='.length);
  if (!named) return [];
  return named.split(',').map((part) => {
    if (!(SKIPPABLE as readonly string[]).includes(part)) {
      throw new Error(`--skip: "${part}" is not one of ${SKIPPABLE.join(', ')}`);
    }
    return part as EndToEndPart;
  });
};

/** Runs one part and says what it cost the run (CI runs it with --quick). */
const timed = async <T>(part: string, run: () => Promise<T>) => {
  const began = performance.now();
  const result = await run();
  console.log(`[end-to-end, ${part}: ${Math.round((performance.now() - began) / 1000)} s]`);
  return result;
};

/** Throughput, replay and the connect-drop flood on one stack with the bench's environment. */
const benchOnBenchStack = async ({ quick = false }: { quick?: boolean } = {}) => {
  const openFiles = await checkOpenFiles(2_000);
  const options = {
    handler: 'chat',
    tableName: 'bench-e2e',
    runtime: 'containers',
    env: BENCH_ENV,
    note: 'Throughput, replay, connect-drop',
  } as const;
  return withBenchStack(options, async (stack, container) => {
    const crowd = startCrowd();
    try {
      const target = {
        name: 'chat',
        wsUrl: stack.wsUrl,
        // At most 500 new connections a second (API Gateway's account limit), 100 joining at once.
        join: { batch: 100, perSecond: 500, awaitReplay: true },
        closePerSecond: 500,
        container,
      } as const;
      const measure = { quick, stack, container, crowd, target };
      const throughput = await benchThroughput(measure);
      const replay = await benchReplay(measure);
      const connectDrop = await benchConnectDrop(measure);
      const strays = await crowd.ask('takeStrays');
      if (Object.keys(strays).length > 0) console.warn('\nframes nobody expected:', strays);
      return { openFiles, throughput, replay, connectDrop, strays };
    } finally {
      crowd.stop();
    }
  });
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchEndToEnd({
    quick: process.argv.includes('--quick'),
    skip: skippedParts(process.argv),
  });
  await benchColdStart({ quick: process.argv.includes('--quick') });
}
