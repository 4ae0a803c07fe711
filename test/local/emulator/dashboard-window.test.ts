import { describe, expect, it } from 'vitest';
import type { MetricSample } from '../../../local/emulator/dashboard-lines.js';
import { createMetricsWindow } from '../../../local/emulator/dashboard-window.js';

/** A window on a clock the test moves. */
const windowAt = (startMs: number, options: { seconds?: number; maxSeries?: number } = {}) => {
  let now = startMs;
  const window = createMetricsWindow({ ...options, now: () => now });
  return { window, advance: (ms: number) => (now += ms), at: () => now };
};

const count = (
  name: string,
  values: number[],
  extra: Partial<MetricSample> = {},
): MetricSample => ({
  name,
  unit: 'Count',
  values,
  ...extra,
});
const ms = (name: string, values: number[], extra: Partial<MetricSample> = {}): MetricSample => ({
  name,
  unit: 'Milliseconds',
  values,
  ...extra,
});

const T0 = 1_700_000_000_000;

describe('the metrics window', () => {
  it('sums and counts a metric, each route of a route metric apart', () => {
    const { window } = windowAt(T0);
    window.add(count('Invocations', [1], { route: 'sendmessage' }));
    window.add(count('Invocations', [1], { route: 'sendmessage' }));
    window.add(count('Invocations', [1], { route: '$connect' }));
    window.add(count('PostsDelivered', [3, 4]));
    const totals = window.view(60).series.map((s) => [s.name, s.route, s.total.sum, s.total.count]);
    expect(totals).toEqual([
      ['Invocations', 'sendmessage', 2, 2],
      ['Invocations', '$connect', 1, 1],
      ['PostsDelivered', undefined, 7, 2],
    ]);
  });

  it('gives p50 and p99 of times to within 2 %, and exactly for a single value', () => {
    const { window } = windowAt(T0);
    window.add(
      ms(
        'FanoutTime',
        Array.from({ length: 1000 }, (_, n) => n + 1),
      ),
    );
    window.add(ms('Duration', [12.3], { route: 'history' }));
    const [fanout, duration] = window.view(60).series;
    expect(fanout?.total.p50).toBeGreaterThan(500 * 0.98);
    expect(fanout?.total.p50).toBeLessThan(500 * 1.02);
    expect(fanout?.total.p99).toBeGreaterThan(990 * 0.98);
    expect(fanout?.total.p99).toBeLessThan(990 * 1.02);
    expect(duration?.total).toMatchObject({ p50: 12.3, p99: 12.3, min: 12.3, max: 12.3 });
  });

  it('gives counts no percentiles', () => {
    const { window } = windowAt(T0);
    window.add(count('BatchMessages', [2, 5]));
    expect(window.view(60).series[0]?.total).toEqual({ count: 2, sum: 7, min: 2, max: 5 });
  });

  it('puts each value in the step of its timestamp, and null in steps with none', () => {
    const { window, advance } = windowAt(T0);
    window.add(count('MessagesSent', [1], { timestamp: T0 - 25_000 }));
    window.add(count('MessagesSent', [1], { timestamp: T0 - 24_000 }));
    advance(1_000);
    window.add(count('MessagesSent', [5]));
    const view = window.view(30, 10);
    expect(view.points).toBe(3);
    expect(view.series[0]?.points.map((p) => p?.sum ?? null)).toEqual([2, null, 5]);
  });

  it('forgets what is older than the window, and a series silent for all of it', () => {
    const { window, advance } = windowAt(T0, { seconds: 60 });
    window.add(count('Errors', [1], { route: 'sendmessage' }));
    window.add(count('Errors', [1], { route: 'sendmessage', timestamp: T0 - 61_000 }));
    expect(window.view().series[0]?.total.sum).toBe(1);
    advance(60_000);
    expect(window.view().series).toEqual([]);
  });

  it('reads a timestamp from the future as now', () => {
    const { window } = windowAt(T0);
    window.add(count('ColdStarts', [1], { timestamp: T0 + 3_600_000 }));
    expect(window.view(1).series[0]?.total.sum).toBe(1);
  });

  it('keeps a bounded number of series, and counts the samples it turned away', () => {
    const { window } = windowAt(T0, { maxSeries: 2 });
    for (const name of ['A', 'B', 'C', 'D']) window.add(count(name, [1]));
    window.add(count('A', [1]));
    const view = window.view(60);
    expect(view.series.map((s) => [s.name, s.total.sum])).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    expect(view.dropped).toBe(2);
  });

  it('never reads more than the window, whatever range is asked', () => {
    const { window } = windowAt(T0, { seconds: 60 });
    window.add(count('A', [1]));
    expect(window.view(3_600, 1).points).toBe(60);
  });
});
