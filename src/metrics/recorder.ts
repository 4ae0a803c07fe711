import { Metrics as EmfMetrics } from '@aws-lambda-powertools/metrics';
import type { LogWriter } from '../log.js';
import {
  NAMESPACE,
  ROUTE_METRICS,
  type RouteMetric,
  SERVICE,
  type StageMetric,
  unitOf,
} from './catalogue.js';

/**
 * A container's metrics, written as CloudWatch Embedded Metric Format lines in the function's log
 * at the end of each invocation: no API calls, no agent. One invocation runs at a time in a
 * container, so what is recorded between two flushes is one invocation's.
 */
export interface Metrics {
  /** Adds to a count: one value, the invocation's sum, is written. */
  count(name: StageMetric, n?: number): void;
  /** Keeps one sample of a distribution (a time, a size): each is written, for percentiles. */
  sample(name: StageMetric, value: number): void;
  /** Writes the invocation's route metrics and what it recorded to `write`, then starts empty. */
  flush(invocation: Invocation, write: LogWriter): void;
}

/** How an invocation went: its route (a bounded route key), its time, and whether it failed. */
export interface Invocation {
  route: string;
  durationMs: number;
  failed: boolean;
}

export interface MetricsOptions {
  /** The `stage` dimension. */
  stage: string;
  /** False: nothing is recorded or written (`METRICS=off`). */
  enabled?: boolean;
}

/**
 * Values of one metric in one line: CloudWatch takes at most 100, and Powertools writes to its own
 * console when a metric reaches 100, so a line stops one short.
 */
const MAX_VALUES = 99;

/**
 * The recorder, on Powertools for AWS Lambda's EMF serializer: two of its instances, because EMF
 * gives all metrics of one directive the same dimensions and only the route metrics are by route
 * (each route would otherwise multiply the stage-level metrics, every one billed). Their lines are
 * serialized here and written through the invocation's log writer, not Powertools' own console,
 * so that tests and the local dashboard read them where they read the log.
 */
export const createMetrics = ({ stage, enabled = true }: MetricsOptions): Metrics => {
  if (!enabled) return { count: () => undefined, sample: () => undefined, flush: () => undefined };
  const emf = () =>
    new EmfMetrics({ namespace: NAMESPACE, serviceName: SERVICE, defaultDimensions: { stage } });
  const byRoute = emf();
  const byStage = emf();
  const counts = new Map<StageMetric, number>();
  const samples = new Map<StageMetric, number[]>();
  let coldStart = true;

  const writeOut = (metrics: EmfMetrics, write: LogWriter) => {
    write(`${JSON.stringify(metrics.serializeMetrics())}\n`);
    metrics.clearMetrics();
    metrics.clearDimensions();
  };
  /** The stage-level metrics, in as many lines as `MAX_VALUES` values a metric take. */
  const writeStage = (write: LogWriter) => {
    for (const [name, n] of counts) byStage.addMetric(name, unitOf(name), n);
    const longest = Math.max(0, ...[...samples.values()].map((values) => values.length));
    // The counts go in the first line, with the first MAX_VALUES of each metric's samples.
    let from = 0;
    do {
      for (const [name, values] of samples) {
        for (const value of values.slice(from, from + MAX_VALUES)) {
          byStage.addMetric(name, unitOf(name), value);
        }
      }
      if (byStage.hasStoredMetrics()) writeOut(byStage, write);
      from += MAX_VALUES;
    } while (from < longest);
    counts.clear();
    samples.clear();
  };

  return {
    count: (name, n = 1) => {
      counts.set(name, (counts.get(name) ?? 0) + n);
    },
    sample: (name, value) => {
      const values = samples.get(name);
      if (values) values.push(value);
      else samples.set(name, [value]);
    },
    flush: ({ route, durationMs, failed }, write) => {
      const metric = (name: RouteMetric, value: number) =>
        byRoute.addMetric(name, ROUTE_METRICS[name], value);
      byRoute.addDimension('route', route);
      metric('Invocations', 1);
      // A tenth of a millisecond is all the precision worth its bytes in every line.
      metric('Duration', Math.round(durationMs * 10) / 10);
      metric('Errors', failed ? 1 : 0);
      writeOut(byRoute, write);
      if (coldStart) counts.set('ColdStarts', 1);
      coldStart = false;
      writeStage(write);
    },
  };
};
