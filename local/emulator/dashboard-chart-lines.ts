import { ROUTE_METRICS, STAGE_METRIC_NAMES } from '../../src/metrics/catalogue.js';
import type { SeriesView, Stats } from './dashboard-window.js';

/** What a line shows of its series in each step: the sum, a percentile, the mean or the max. */
export type Stat = 'sum' | 'p50' | 'p99' | 'avg' | 'max';

/** One line of a chart: a value a step (null: none), and its value over the whole range. */
export interface LineView {
  label: string;
  values: (number | null)[];
  total: number | null;
}

const pick = (stats: Stats | null, stat: Stat): number | null => {
  if (stat === 'sum') return stats?.sum ?? 0;
  if (!stats || stats.count === 0) return null;
  if (stat === 'avg') return stats.sum / stats.count;
  if (stat === 'max') return stats.max;
  return stats[stat] ?? null;
};

const line = (label: string, series: SeriesView | undefined, stat: Stat, points: number) => ({
  label,
  values: series
    ? series.points.map((p) => pick(p, stat))
    : new Array(points).fill(pick(null, stat)),
  total: pick(series?.total ?? null, stat),
});

/** The lines one part of a panel draws from the window's series. */
export type Lines = (all: SeriesView[], points: number) => LineView[];

/** A route metric: one line a route (and a stat), only routes that ran. */
export const byRoute =
  (name: string, stats: Stat[]): Lines =>
  (all, points) =>
    all
      .filter((s) => s.name === name && s.route !== undefined)
      .sort((a, b) => (a.route ?? '').localeCompare(b.route ?? ''))
      .flatMap((s) =>
        stats.map((stat) =>
          line(stats.length > 1 ? `${s.route} ${stat}` : `${s.route}`, s, stat, points),
        ),
      );

/** Stage metrics always shown, at zero until they come: a failure count of 0 is news too. */
export const fixed =
  (entries: [name: string, stat: Stat, label: string][]): Lines =>
  (all, points) =>
    entries.map(([name, stat, label]) =>
      line(
        label,
        all.find((s) => s.name === name && s.route === undefined),
        stat,
        points,
      ),
    );

/** `Refused.<code>` and the like: one line for each that came, labelled by what follows. */
export const prefixed =
  (prefix: string): Lines =>
  (all, points) =>
    all
      .filter((s) => s.name.startsWith(prefix) && s.route === undefined)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((s) => line(s.name.slice(prefix.length), s, 'sum', points));

const KNOWN = new Set<string>([...Object.keys(ROUTE_METRICS), ...STAGE_METRIC_NAMES]);

/** Metrics the catalogue does not know (a new one, or a typo): kept, and shown apart. */
export const unknown: Lines = (all, points) =>
  all
    .filter((s) => !KNOWN.has(s.name))
    .flatMap((s) => {
      const name = s.route === undefined ? s.name : `${s.name} ${s.route}`;
      return s.unit === 'Milliseconds'
        ? [line(`${name} p50`, s, 'p50', points), line(`${name} p99`, s, 'p99', points)]
        : [line(name, s, 'sum', points)];
    });
