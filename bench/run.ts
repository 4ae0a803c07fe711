/**
 * Runs every benchmark, prints each table and writes `bench/results.json`.
 * `npm run bench` for the full run, `npm run bench -- --quick` for a smaller one;
 * `--skip=burst,batching,presence,review` leaves those end-to-end comparisons out (CI does).
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { benchBroadcast } from './broadcast.js';
import { benchColdStart } from './e2e/cold-start.js';
import { writeFanoutChart } from './e2e/fanout-report.js';
import { benchEndToEnd, skippedParts } from './e2e/index.js';
import { benchStorms } from './e2e/storms.js';
import { benchMetricsCost } from './metrics-cost.js';
import { machine } from './stats.js';
import { benchStore } from './store.js';

const quick = process.argv.includes('--quick');
const skip = skippedParts(process.argv);

/** One benchmark that throws must not lose the others: its error is printed and recorded. */
const attempt = async <T>(name: string, run: () => Promise<T>): Promise<T | { error: string }> => {
  const began = performance.now();
  try {
    return await run();
  } catch (error) {
    console.error(`\n!!! ${name} benchmark failed: ${(error as Error)?.stack ?? error}\n`);
    return { error: String(error) };
  } finally {
    // What each section costs the run (and CI, which runs --quick).
    console.log(`\n[${name}: ${Math.round((performance.now() - began) / 1000)} s]`);
  }
};
const started = new Date().toISOString();
const clock = performance.now();
// Other work on the machine skews every figure: the load average says how much there was.
const loadBefore = loadavg().map((n) => Number(n.toFixed(2)));
const results = {
  started,
  quick,
  machine: { ...(await machine()), loadBefore },
  store: await attempt('store', () => benchStore({ quick })),
  broadcast: await attempt('broadcast', () => benchBroadcast({ quick })),
  endToEnd: await attempt('end-to-end', () => benchEndToEnd({ quick, skip })),
  coldStart: await attempt('cold start', () => benchColdStart({ quick })),
  storms: await attempt('storms', () => benchStorms({ quick })),
  metricsCost: await attempt('metrics cost', () => benchMetricsCost({ quick })),
  loadAfter: loadavg().map((n) => Number(n.toFixed(2))),
  seconds: Math.round((performance.now() - clock) / 1000),
};
const file = new URL('./results.json', import.meta.url);
await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
if ('fanout' in results.endToEnd) {
  console.log(`wrote ${await writeFanoutChart([results.endToEnd.fanout.rows], results.machine)}`);
}
console.log(`\nload average before ${loadBefore.join(' ')}, after ${results.loadAfter.join(' ')}`);
console.log(`${results.seconds} s; wrote ${file.pathname}`);
// The tables are for people; a benchmark that broke is for CI too.
const broken = Object.entries(results).filter(
  ([, value]) => typeof value === 'object' && value !== null && 'error' in value,
);
if (broken.length > 0) {
  console.error(`benchmarks that failed: ${broken.map(([name]) => name).join(', ')}`);
  process.exitCode = 1;
}
