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
import { benchFanout, fanoutLayout } from './fanout.js';
import { checkOpenFiles } from './limits.js';
import { benchReplay } from './replay.js';
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
 * The end-to-end benchmarks. The burst benchmark needs the product's own rate limit, so it runs
 * afterwards on stacks of its own.
 */
export const benchEndToEnd = async (options: { quick?: boolean } = {}) => {
  const measured = await benchOnBenchStack(options);
  const burst = await benchBurst({ quick: options.quick ?? false });
  return { ...measured, burst };
};

/** Fan-out, throughput and replay on one stack with the bench's environment. */
const benchOnBenchStack = async ({ quick = false }: { quick?: boolean } = {}) => {
  const openFiles = await checkOpenFiles(fanoutLayout(quick).clients + 200);
  const container = createBenchContainer();
  const stack = await startLocalStack({
    port: 0,
    quiet: true,
    tableName: 'bench-e2e',
    handler: container.handler,
    env: BENCH_ENV,
  });
  const crowd = startCrowd();
  try {
    const options = { quick, stack, container, crowd };
    const fanout = await benchFanout(options);
    const room100 = fanout.rows.find((row) => row.members === 100);
    const cost = room100 ? costPerMessage(room100) : undefined;
    const throughput = await benchThroughput(options);
    const replay = await benchReplay(options);
    const connectDrop = await benchConnectDrop(options);
    const strays = await crowd.strays();
    if (Object.keys(strays).length > 0) console.warn('\nframes nobody expected:', strays);
    return { openFiles, fanout, cost, throughput, replay, connectDrop, strays };
  } finally {
    crowd.stop();
    await container.idle();
    await stack.stop();
  }
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchEndToEnd({ quick: process.argv.includes('--quick') });
  await benchColdStart({ quick: process.argv.includes('--quick') });
}
