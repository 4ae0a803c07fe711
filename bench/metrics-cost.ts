/**
 * What emitting metrics costs (issue 28): CPU per invocation with metrics on and off, for the
 * recorder alone (bench/metrics-recorder.ts) and for the real handler end to end in this process
 * (bench/metrics-handler.ts), a sendmessage into a room of 100 each time.
 * Run alone: `npx tsx bench/metrics-cost.ts [--quick]`; `npm run bench` runs it with the rest.
 */
import { pathToFileURL } from 'node:url';
import { benchHandler } from './metrics-handler.js';
import { benchRecorder, MEMBERS } from './metrics-recorder.js';
import { printTable } from './stats.js';

export const benchMetricsCost = async ({ quick = false } = {}) => {
  const recorder = benchRecorder({ quick });
  printTable(
    `Metrics, the recorder alone: one sendmessage's recording into a room of ${MEMBERS} ` +
      '(101 counts, 4 samples, a flush of 2 lines to a writer that discards them)',
    recorder,
  );
  const handler = await benchHandler({ quick });
  printTable(
    `Metrics, the real handler in-process: sendmessage into rooms of ${MEMBERS}, METRICS=on and ` +
      `off in alternating blocks of ${handler.blockSize} (${handler.rounds} each, after ` +
      `${handler.warmUp} to warm up); this process's CPU (user + system)`,
    handler.rows,
  );
  console.log(
    `CPU on/off: ${handler['ratio on/off']}x; on − off per invocation, round by round: ` +
      `median ${handler['on − off µs/inv (paired, median)']} µs, mean ` +
      `${handler['on − off µs/inv (paired, mean)']} ± ` +
      `${handler['on − off µs/inv (paired, 95 % interval ±)']} µs (95 %)`,
  );
  const written = Object.entries(handler.metrics).map(([name, value]) => `${name} ${value}`);
  console.log(`The handler's metrics for its last message: ${written.join(', ')}`);
  return { recorder, handler };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchMetricsCost({ quick: process.argv.includes('--quick') });
}
