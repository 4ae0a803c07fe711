import { describe, expect, it } from 'vitest';
import { panelsOf } from '../../../local/emulator/dashboard-panels.js';
import type { SeriesView, Stats } from '../../../local/emulator/dashboard-window.js';

const stats = (values: number[], timed = false): Stats => ({
  count: values.length,
  sum: values.reduce((a, b) => a + b, 0),
  min: Math.min(...values),
  max: Math.max(...values),
  ...(timed ? { p50: values[0] ?? 0, p99: values.at(-1) ?? 0 } : {}),
});

const series = (
  name: string,
  points: (number[] | null)[],
  extra: Partial<SeriesView> = {},
): SeriesView => {
  const unit = extra.unit ?? 'Count';
  const timed = unit === 'Milliseconds';
  return {
    name,
    unit,
    total: stats(
      points.flatMap((p) => p ?? []),
      timed,
    ),
    points: points.map((p) => (p ? stats(p, timed) : null)),
    ...extra,
  };
};

const panel = (all: SeriesView[], id: string) => panelsOf(all, 2).find((p) => p.id === id);

describe('the dashboard panels', () => {
  it('draws one line a route for invocations, zero in a step without any', () => {
    const all = [
      series('Invocations', [[1, 1], null], { route: 'sendmessage' }),
      series('Invocations', [null, [1]], { route: '$connect' }),
    ];
    expect(panel(all, 'invocations')?.lines).toEqual([
      { label: '$connect', values: [0, 1], total: 1 },
      { label: 'sendmessage', values: [2, 0], total: 2 },
    ]);
  });

  it('draws p50 and p99 of durations, with gaps where nothing ran', () => {
    const all = [series('Duration', [[5, 40], null], { route: 'history', unit: 'Milliseconds' })];
    expect(panel(all, 'duration')?.lines).toEqual([
      { label: 'history p50', values: [5, null], total: 5 },
      { label: 'history p99', values: [40, null], total: 40 },
    ]);
  });

  it('shows every kind of post, at zero before any comes', () => {
    const lines = panel([series('PostsDelivered', [[3], [4]])], 'posts')?.lines;
    expect(lines?.map((l) => [l.label, l.total])).toEqual([
      ['delivered', 7],
      ['pruned', 0],
      ['failed', 0],
      ['throttled', 0],
      ['unreached', 0],
    ]);
  });

  it('shows each refusal code and budget that came, by its name', () => {
    const all = [
      series('Refused.rate_limited', [[1], [2]]),
      series('RefusedBudget.room', [[1], null]),
    ];
    expect(panel(all, 'refusals-code')?.lines.map((l) => [l.label, l.total])).toEqual([
      ['rate_limited', 3],
    ]);
    expect(panel(all, 'refusals-budget')?.lines.map((l) => [l.label, l.total])).toEqual([
      ['room', 1],
    ]);
  });

  it('draws the mean and the largest batch', () => {
    const lines = panel([series('BatchMessages', [[2, 6], [3]])], 'batches')?.lines;
    expect(lines).toEqual([
      { label: 'mean', values: [4, 3], total: 11 / 3 },
      { label: 'max', values: [6, 3], total: 6 },
    ]);
  });

  it('keeps metrics the catalogue does not know in a panel of their own', () => {
    const all = [
      series('Mystery', [[1], [1]]),
      series('SlowThing', [[9], null], { unit: 'Milliseconds' }),
    ];
    expect(panel(all, 'other')?.lines.map((l) => l.label)).toEqual([
      'Mystery',
      'SlowThing p50',
      'SlowThing p99',
    ]);
    expect(
      panelsOf(all, 2).flatMap((p) => (p.id === 'other' ? [] : p.lines.map((l) => l.label))),
    ).not.toContain('Mystery');
  });
});
