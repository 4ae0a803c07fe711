import { binOf, quantile } from './dashboard-histogram.js';
import type { MetricSample } from './dashboard-lines.js';

/** What one stretch of time holds of one series. `p50`/`p99` for `Milliseconds` series only. */
export interface Stats {
  count: number;
  sum: number;
  min: number;
  max: number;
  p50?: number;
  p99?: number;
}

/** One series over a range: its totals and one point a step (null: nothing in that step). */
export interface SeriesView {
  name: string;
  unit: string;
  route?: string;
  total: Stats;
  points: (Stats | null)[];
}

/** A range cut into steps: `points` steps of `step` s, the first beginning at `start` (ms). */
export interface WindowView {
  start: number;
  step: number;
  points: number;
  series: SeriesView[];
  /** Samples refused because the window already held `maxSeries` series. */
  dropped: number;
}

export interface MetricsWindowOptions {
  /** How far back the window reaches, in seconds; default 900 (15 min), at 1-s resolution. */
  seconds?: number;
  /** Distinct metric-and-route series kept at most; default 500. Later new ones are dropped. */
  maxSeries?: number;
  now?: () => number;
}

interface Slot {
  second: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** Log-spaced histogram bins (index → values), for percentiles within ±1 %. */
  bins?: Map<number, number>;
}

interface Series {
  name: string;
  unit: string;
  route?: string;
  /** A ring of one slot a second; a slot whose `second` is not the one asked for is stale. */
  ring: (Slot | undefined)[];
}

/**
 * The last minutes of every metric the handler wrote, in memory and bounded: a ring of 1-s slots
 * per metric (and per route for route metrics), each with its count, sum, min, max and, for
 * times, a histogram. Read back at any step for charts.
 */
export const createMetricsWindow = (options: MetricsWindowOptions = {}) => {
  const seconds = options.seconds ?? 900;
  const maxSeries = options.maxSeries ?? 500;
  const now = options.now ?? Date.now;
  const series = new Map<string, Series>();
  let dropped = 0;

  const add = (sample: MetricSample) => {
    const nowMs = now();
    const at = Math.min(sample.timestamp ?? nowMs, nowMs);
    const second = Math.floor(at / 1000);
    if (second <= Math.floor(nowMs / 1000) - seconds) return;
    const key = `${sample.name}\u0000${sample.route ?? ''}`;
    let entry = series.get(key);
    if (!entry) {
      if (series.size >= maxSeries) {
        dropped += 1;
        return;
      }
      entry = {
        name: sample.name,
        unit: sample.unit,
        ...(sample.route === undefined ? {} : { route: sample.route }),
        ring: new Array(seconds),
      };
      series.set(key, entry);
    }
    const index = second % seconds;
    let slot = entry.ring[index];
    if (slot?.second !== second) {
      slot = { second, count: 0, sum: 0, min: Infinity, max: -Infinity };
      if (entry.unit === 'Milliseconds') slot.bins = new Map();
      entry.ring[index] = slot;
    }
    for (const value of sample.values) {
      slot.count += 1;
      slot.sum += value;
      slot.min = Math.min(slot.min, value);
      slot.max = Math.max(slot.max, value);
      const bin = binOf(value);
      slot.bins?.set(bin, (slot.bins.get(bin) ?? 0) + 1);
    }
  };

  /** The last `rangeSeconds` (at most the window) in steps of `stepSeconds`. */
  const view = (rangeSeconds = seconds, stepSeconds = 1): WindowView => {
    const step = Math.max(1, Math.floor(stepSeconds));
    const points = Math.max(1, Math.ceil(Math.min(rangeSeconds, seconds) / step));
    const last = Math.floor(now() / 1000);
    const first = last - points * step + 1;
    const views: SeriesView[] = [];
    for (const [key, entry] of series) {
      const live = (second: number) => {
        const slot = entry.ring[second % seconds];
        return slot?.second === second ? slot : undefined;
      };
      // A series silent for the whole window is forgotten, making room for others.
      if (!entry.ring.some((slot) => slot && slot.second > last - seconds)) {
        series.delete(key);
        continue;
      }
      const steps = Array.from({ length: points }, (_, n) => {
        const slots: Slot[] = [];
        for (let s = first + n * step; s < first + (n + 1) * step; s++) {
          const slot = live(s);
          if (slot) slots.push(slot);
        }
        return slots;
      });
      const all = steps.flat();
      if (all.length === 0) continue;
      views.push({
        name: entry.name,
        unit: entry.unit,
        ...(entry.route === undefined ? {} : { route: entry.route }),
        total: merge(all),
        points: steps.map((slots) => (slots.length === 0 ? null : merge(slots))),
      });
    }
    return { start: first * 1000, step, points, series: views, dropped };
  };

  return { add, view };
};

/** The stats of several slots together. */
const merge = (slots: Slot[]): Stats => {
  const stats: Stats = { count: 0, sum: 0, min: Infinity, max: -Infinity };
  const bins = new Map<number, number>();
  let timed = false;
  for (const slot of slots) {
    stats.count += slot.count;
    stats.sum += slot.sum;
    stats.min = Math.min(stats.min, slot.min);
    stats.max = Math.max(stats.max, slot.max);
    if (!slot.bins) continue;
    timed = true;
    for (const [bin, n] of slot.bins) bins.set(bin, (bins.get(bin) ?? 0) + n);
  }
  if (timed && stats.count > 0) {
    const clamp = (value: number) => Math.min(stats.max, Math.max(stats.min, value));
    stats.p50 = clamp(quantile(bins, stats.count, 0.5));
    stats.p99 = clamp(quantile(bins, stats.count, 0.99));
  }
  return stats;
};
