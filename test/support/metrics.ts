import type { LogWriter } from '../../src/log.js';
import { createMetrics, type Metrics } from '../../src/metrics/recorder.js';

/** An EMF line's metric values (number or list) by name, with its dimensions. */
export interface EmfLine {
  dimensions: string[][];
  values: Record<string, number | number[]>;
  fields: Record<string, unknown>;
}

/** Metrics that go nowhere: for code under test that must be given some. */
export const ignoredMetrics: Metrics = createMetrics({ stage: 'test' });

/** Reads the EMF lines among written log lines. */
export const emfLinesOf = (lines: readonly string[]): EmfLine[] =>
  lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line._aws !== undefined)
    .map((line) => {
      const [directive] = (line._aws as { CloudWatchMetrics: EmfDirective[] }).CloudWatchMetrics;
      const names = directive?.Metrics.map(({ Name }) => Name) ?? [];
      return {
        dimensions: directive?.Dimensions ?? [],
        values: Object.fromEntries(names.map((name) => [name, line[name] as number | number[]])),
        fields: line,
      };
    });

interface EmfDirective {
  Dimensions: string[][];
  Metrics: { Name: string; Unit: string }[];
}

/** A log writer that keeps its lines, and the metrics written through it summed by name. */
export const capturedLog = () => {
  const lines: string[] = [];
  const write: LogWriter = (line) => {
    lines.push(...line.split('\n').filter(Boolean));
  };
  /** The sum of a metric's values over every EMF line so far (route metrics: of that route). */
  const total = (name: string, route?: string) =>
    emfLinesOf(lines)
      .filter(({ fields }) => route === undefined || fields.route === route)
      .flatMap(({ values }) => values[name] ?? 0)
      .reduce((sum: number, value) => sum + value, 0);
  return { lines, write, total, emf: () => emfLinesOf(lines) };
};
