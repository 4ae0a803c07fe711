import { describe, expect, it } from 'vitest';
import { logScale, PLOT, renderLogChart } from '../../bench/log-chart.js';

const chart = () =>
  renderLogChart({
    title: 'Fan-out <p50> & more',
    subtitle: '2026-11-26, 2 × AMD EPYC',
    xLabel: 'members',
    yLabel: 'ms',
    series: [
      { name: 'chat', color: '#00f', points: [10, 100, 1_000].map((x) => ({ x, y: x / 10 })) },
      { name: 'seeds', color: '#f00', points: [10, 100, 1_000].map((x) => ({ x, y: x })) },
      {
        name: 'floor',
        color: '#777',
        dashed: true,
        points: [
          { x: 10, y: 0.5 },
          { x: 100, y: Number.NaN },
          { x: 1_000, y: 5 },
        ],
      },
    ],
  });

/** Every tag opened is closed, in order: the document is well-formed as far as tags go. */
const balanced = (svg: string) => {
  const open: string[] = [];
  for (const [, closing, name, selfClosing] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue;
    if (!closing) open.push(name as string);
    else if (open.pop() !== name) return false;
  }
  return open.length === 0;
};

const polylines = (svg: string) =>
  [...svg.matchAll(/<polyline points="([^"]*)"/g)].map(([, points]) =>
    (points as string).split(' ').map((pair) => pair.split(',').map(Number) as [number, number]),
  );

describe('renderLogChart', () => {
  it('writes a well-formed SVG document with its text escaped', () => {
    const svg = chart();
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(balanced(svg)).toBe(true);
    expect(svg).toContain('Fan-out &lt;p50&gt; &amp; more');
    expect(svg).not.toContain('<p50>');
  });

  it('draws one polyline per series and names each in the legend', () => {
    const svg = chart();
    expect(polylines(svg)).toHaveLength(3);
    for (const name of ['chat', 'seeds', 'floor']) expect(svg).toContain(`>${name}</text>`);
  });

  it('places points by log scale: each tenfold step is the same distance', () => {
    const [chat = [], seeds = []] = polylines(chart());
    const xs = chat.map(([x]) => x);
    const ys = chat.map(([, y]) => y);
    const step = (values: number[], i: number) => (values[i + 1] ?? 0) - (values[i] ?? 0);
    expect(step(xs, 0)).toBeGreaterThan(0);
    expect(step(xs, 0)).toBeCloseTo(step(xs, 1), 0);
    // Up is smaller on screen: each tenfold value is one decade higher.
    expect(step(ys, 0)).toBeLessThan(0);
    expect(step(ys, 0)).toBeCloseTo(step(ys, 1), 0);
    // The chat's values are a tenth of the seeds': one decade below them.
    expect((chat[0]?.[1] ?? 0) - (seeds[0]?.[1] ?? 0)).toBeCloseTo(-step(ys, 0), 0);
  });

  it('leaves out points that a log scale cannot place', () => {
    const floor = polylines(chart())[2];
    expect(floor).toHaveLength(2);
  });

  it('maps the ends of a log range onto the ends of the axis', () => {
    const y = logScale(1, 1_000, PLOT.bottom, PLOT.top);
    expect(y(1)).toBe(PLOT.bottom);
    expect(y(1_000)).toBe(PLOT.top);
    expect(y(10)).toBeCloseTo(PLOT.bottom - (PLOT.bottom - PLOT.top) / 3);
  });

  it('refuses a chart with no point it can place', () => {
    expect(() =>
      renderLogChart({
        title: 't',
        subtitle: 's',
        xLabel: 'x',
        yLabel: 'y',
        series: [{ name: 'empty', color: '#000', points: [{ x: 10, y: 0 }] }],
      }),
    ).toThrow(/at least one positive point/);
  });
});
