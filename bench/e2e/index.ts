/**
 * End-to-end benchmarks: the real handler behind the emulator with DynamoDB Local
 * (`startLocalStack`), driven by real `ws` clients in a separate process.
 * Run alone: `npx tsx bench/e2e/index.ts [--quick]`; `npm run bench` runs it with the rest.
 */
import { pathToFileURL } from 'node:url';
import { startLocalStack } from '../../local/stack.js';
import { benchBurst } from './burst.js';
import { benchColdStart } from './cold-start.js';
import { benchConnectDrop } from './connect-drop.js';
import { createBenchContainer } from './container.js';
import { costPerMessage } from './cost.js';
import { startCrowd } from './crowd.js';
import { benchFanout } from './fanout.js';
import { checkOpenFiles } from './limits.js';
import { benchReplay } from './replay.js';
import { benchRuntime, runtimeNote } from './runtime.js';
import { benchThroughput } from './throughput.js';

/**
 * The handler's environment for the benchmarks: no rate limit in the way (every crowd client
 * comes from 127.0.0.1, and one room takes all the load), warnings only.
 */
export const BENCH_ENV = {
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_BURST: '1000',
  HISTORY_PER_MINUTE: '1000000',
  ROOM_RATE_PER_SECOND: '0',
  SOURCE_RATE_PER_SECOND: '0',
  SOURCE_CONNECTS_PER_MINUTE: '0',
  SOURCE_HISTORY_PER_MINUTE: '0',
  AWS_LAMBDA_LOG_LEVEL: 'warn',
};

/**
 * The side-by-side fan-out (on stacks of its own), then throughput, replay and the connect-drop
 * flood on one stack; the burst benchmark needs the product's own rate limit, so it runs last on
 * stacks of its own.
 */
export const benchEndToEnd = async (options: { quick?: boolean } = {}) => {
  const quick = options.quick ?? false;
  const fanout = await benchFanout({ quick });
  const room100 = fanout.rows.find((row) => row.members === 100);
  const cost = room100 ? costPerMessage(room100) : undefined;
  const measured = await benchOnBenchStack({ quick });
  const burst = await benchBurst({ quick });
  return { fanout, cost, ...measured, burst };
};

/** Throughput, replay and the connect-drop flood on one stack with the bench's environment. */
const benchOnBenchStack = async ({ quick = false }: { quick?: boolean } = {}) => {
  const openFiles = await checkOpenFiles(2_000);
  const container = createBenchContainer('chat');
  const runtime = benchRuntime('in-process');
  console.log(runtimeNote('Throughput, replay, connect-drop', runtime));
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    tableName: 'bench-e2e',
    handler: container.handler,
    ...runtime,
    env: { ...BENCH_ENV, ...container.env },
  });
  const crowd = startCrowd();
  try {
    const options = { quick, stack, container, crowd };
    const throughput = await benchThroughput(options);
    const replay = await benchReplay(options);
    const connectDrop = await benchConnectDrop(options);
    const strays = await crowd.ask('takeStrays');
    if (Object.keys(strays).length > 0) console.warn('\nframes nobody expected:', strays);
    return { openFiles, throughput, replay, connectDrop, strays };
  } finally {
    crowd.stop();
    await container.idle();
    await stack.stop();
    container.close();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchEndToEnd({ quick: process.argv.includes('--quick') });
  await benchColdStart({ quick: process.argv.includes('--quick') });
}
