/**
 * The metrics recorder alone (src/metrics/recorder.ts), no handler around it: CPU per invocation
 * of what a sendmessage into a room of 100 records, with metrics on and off. Part of
 * bench/metrics-cost.ts.
 */
import type { LogWriter } from '../src/log.js';
import { createMetrics, type Metrics } from '../src/metrics/recorder.js';
import { median, round } from './stats.js';

/** The room a typical message goes to. */
export const MEMBERS = 100;

/**
 * One invocation's recording as the handler makes it for a sendmessage into a quiet room of
 * `MEMBERS` (bench/metrics-handler.ts prints the metric names the real one writes): the message,
 * a count per post delivered (counted one by one as answered; 100 for such a message, as the
 * real handler writes), the delivery round's and the fan-out's four samples, then the flush of
 * both lines.
 */
export const recordSendMessage = (metrics: Metrics, write: LogWriter) => {
  metrics.count('MessagesSent');
  for (let post = 0; post < MEMBERS; post++) metrics.count('PostsDelivered');
  metrics.sample('BatchMessages', 1);
  metrics.sample('FanoutTime', 12.5);
  metrics.sample('FanoutMembers', MEMBERS - 1);
  metrics.sample('FanoutWorkers', 1);
  metrics.flush({ route: 'sendmessage', durationMs: 21.3, failed: false }, write);
};

/** CPU µs per recording over `iterations`, from this process's clock (user + system). */
const cpuPerRecording = (metrics: Metrics, write: LogWriter, iterations: number) => {
  const before = process.cpuUsage();
  for (let i = 0; i < iterations; i++) recordSendMessage(metrics, write);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / iterations;
};

/**
 * Rounds of `iterations` recordings, on and off alternating (the first round of each only warms
 * the JIT up); the lines go to a writer that only counts their bytes.
 */
export const benchRecorder = ({ quick = false } = {}) => {
  const iterations = quick ? 2_000 : 20_000;
  const rounds = quick ? 5 : 9;
  const variants = [
    { metrics: 'on', recorder: createMetrics({ stage: 'bench', enabled: true }) },
    { metrics: 'off', recorder: createMetrics({ stage: 'bench', enabled: false }) },
  ] as const;
  const perRound = new Map<string, number[]>(variants.map(({ metrics }) => [metrics, []]));
  const bytes = new Map<string, number>();
  for (let r = 0; r <= rounds; r++) {
    for (let v = 0; v < variants.length; v++) {
      // Each round starts with the other variant: neither always runs first.
      const { metrics, recorder } = variants[
        (r + v) % variants.length
      ] as (typeof variants)[number];
      let written = 0;
      const discard: LogWriter = (line) => {
        written += Buffer.byteLength(line);
      };
      const cpu = cpuPerRecording(recorder, discard, iterations);
      if (r > 0) perRound.get(metrics)?.push(cpu);
      bytes.set(metrics, written / iterations);
    }
  }
  return variants.map(({ metrics }) => ({
    metrics,
    recordings: iterations * rounds,
    'CPU µs/inv (median)': round(median(perRound.get(metrics) ?? []), 3),
    'CPU µs/inv (min)': round(Math.min(...(perRound.get(metrics) ?? [])), 3),
    'log bytes/inv': round(bytes.get(metrics) ?? 0, 0),
  }));
};
