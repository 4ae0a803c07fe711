import { StringDecoder } from 'node:string_decoder';

/** One metric's values from one EMF line: a value is a number or an array of numbers. */
export interface MetricSample {
  name: string;
  /** As the line's directive gives it (`Count`, `Milliseconds`, ...); `None` when absent. */
  unit: string;
  /** The `route` dimension, for metrics whose dimension sets name it. */
  route?: string;
  values: number[];
  /** The line's `_aws.Timestamp` (epoch ms), when it has a valid one. */
  timestamp?: number;
}

/** A line longer than this is no EMF line the dashboard reads (it still reaches stdout whole). */
const MAX_LINE_CHARS = 256 * 1024;

/**
 * Splits a stream's chunks into lines: a line may arrive over several chunks, and a character
 * over two. `end()` hands over a last line without its newline.
 */
export const createLineSplitter = (onLine: (line: string) => void) => {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  // Past MAX_LINE_CHARS the rest of the line is skipped up to its newline: the buffer stays bounded.
  let skipping = false;
  const take = (text: string) => {
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = pending + text.slice(start, end);
      pending = '';
      if (!skipping) onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      skipping = false;
      start = end + 1;
    }
    if (skipping) return;
    pending += text.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      pending = '';
      skipping = true;
    }
  };
  return {
    push: (chunk: Buffer | string) =>
      take(typeof chunk === 'string' ? chunk : decoder.write(chunk)),
    end: () => {
      take(decoder.end());
      if (pending && !skipping) onLine(pending);
      pending = '';
      skipping = false;
    },
  };
};

interface Directive {
  Dimensions?: unknown;
  Metrics?: unknown;
}

/**
 * The metrics an Embedded Metric Format line carries, or undefined for any other line (a log line,
 * JSON without `_aws.CloudWatchMetrics`, a broken line). Never throws: stdout is not ours to trust.
 */
export const parseEmfLine = (line: string): MetricSample[] | undefined => {
  const text = line.trim();
  // Cheap refusal first: most lines are logs, and parsing each as JSON would cost the emulator.
  if (!text.startsWith('{') || !text.includes('"_aws"')) return undefined;
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const aws = record?._aws as { Timestamp?: unknown; CloudWatchMetrics?: unknown } | undefined;
  if (typeof aws !== 'object' || aws === null || !Array.isArray(aws.CloudWatchMetrics)) {
    return undefined;
  }
  const timestamp = Number.isFinite(aws.Timestamp) ? (aws.Timestamp as number) : undefined;
  const samples: MetricSample[] = [];
  for (const directive of aws.CloudWatchMetrics as Directive[]) {
    if (!Array.isArray(directive?.Metrics)) continue;
    const dimensions = Array.isArray(directive.Dimensions) ? directive.Dimensions.flat() : [];
    const route =
      dimensions.includes('route') && typeof record.route === 'string' ? record.route : undefined;
    for (const metric of directive.Metrics as { Name?: unknown; Unit?: unknown }[]) {
      if (typeof metric?.Name !== 'string') continue;
      const values = [record[metric.Name]].flat().filter((v) => Number.isFinite(v)) as number[];
      if (values.length === 0) continue;
      samples.push({
        name: metric.Name,
        unit: typeof metric.Unit === 'string' ? metric.Unit : 'None',
        values,
        ...(route === undefined ? {} : { route }),
        ...(timestamp === undefined ? {} : { timestamp }),
      });
    }
  }
  return samples;
};
