/**
 * A dependency-free SVG line chart with log scales on both axes, small enough to read on GitHub:
 * one polyline (with a dot per point) per series, ticks and grid lines, axis labels, a legend.
 */

/** One line of the chart; points with a value that is not a positive number are left out. */
export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

export interface LogChart {
  title: string;
  subtitle: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

const WIDTH = 760;
const HEIGHT = 440;
/** The plot area inside the margins (the legend sits right of it). */
export const PLOT = { left: 80, top: 70, right: 580, bottom: 390 } as const;

const escapeXml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

const fixed = (value: number) => Number(value.toFixed(1));

/** Ticks at 1, 2 and 5 times the powers of ten that span [low, high]. */
const niceTicks = (low: number, high: number) => {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++) {
    for (const step of [1, 2, 5]) {
      const tick = step * 10 ** power;
      if (tick >= low && tick <= high) ticks.push(tick);
    }
  }
  return ticks;
};

const label = (value: number) =>
  value >= 1 ? value.toLocaleString('en-US') : String(Number(value.toPrecision(1)));

/** Maps a value to a pixel on a log scale from [low, high] onto [from, to]. */
export const logScale = (low: number, high: number, from: number, to: number) => {
  const span = Math.log10(high) - Math.log10(low) || 1;
  return (value: number) => from + ((Math.log10(value) - Math.log10(low)) / span) * (to - from);
};

/** The chart as an SVG document. */
export const renderLogChart = (chart: LogChart): string => {
  const series = chart.series.map((line) => ({
    ...line,
    points: line.points.filter(({ x, y }) => x > 0 && y > 0 && Number.isFinite(x + y)),
  }));
  const all = series.flatMap((line) => line.points);
  if (all.length === 0) throw new Error('a log chart needs at least one positive point');
  const xs = [...new Set(all.map(({ x }) => x))].sort((a, b) => a - b);
  const ys = all.map(({ y }) => y);
  // The y range widens to whole decades, so the ticks frame the lines.
  const yLow = 10 ** Math.floor(Math.log10(Math.min(...ys)));
  const yHigh = 10 ** Math.ceil(Math.log10(Math.max(...ys)));
  const xLow = (xs[0] as number) / 1.3;
  const xHigh = (xs.at(-1) as number) * 1.3;
  const x = logScale(xLow, xHigh, PLOT.left, PLOT.right);
  const y = logScale(yLow, yHigh, PLOT.bottom, PLOT.top);

  const yTicks = niceTicks(yLow, yHigh).map((tick) => {
    const at = fixed(y(tick));
    return `<line x1="${PLOT.left}" y1="${at}" x2="${PLOT.right}" y2="${at}" stroke="#e5e5e5"/><text x="${PLOT.left - 8}" y="${at + 4}" text-anchor="end">${label(tick)}</text>`;
  });
  const xTicks = xs.map((tick) => {
    const at = fixed(x(tick));
    return `<line x1="${at}" y1="${PLOT.top}" x2="${at}" y2="${PLOT.bottom}" stroke="#e5e5e5"/><text x="${at}" y="${PLOT.bottom + 18}" text-anchor="middle">${label(tick)}</text>`;
  });
  const lines = series.map((line) => {
    const points = line.points.map((point) => `${fixed(x(point.x))},${fixed(y(point.y))}`);
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    const dots = line.points
      .map((point) => `<circle cx="${fixed(x(point.x))}" cy="${fixed(y(point.y))}" r="3.5"/>`)
      .join('');
    return `<g fill="${line.color}"><polyline points="${points.join(' ')}" fill="none" stroke="${line.color}" stroke-width="2.5"${dash}/>${dots}</g>`;
  });
  const legend = series.map((line, i) => {
    const top = PLOT.top + 10 + i * 26;
    const dash = line.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<line x1="${PLOT.right + 20}" y1="${top}" x2="${PLOT.right + 50}" y2="${top}" stroke="${line.color}" stroke-width="2.5"${dash}/><text x="${PLOT.right + 58}" y="${top + 4}">${escapeXml(line.name)}</text>`;
  });
  const middle = (PLOT.top + PLOT.bottom) / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#222" role="img">`,
    `<title>${escapeXml(chart.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${PLOT.left}" y="28" font-size="16" font-weight="bold">${escapeXml(chart.title)}</text>`,
    `<text x="${PLOT.left}" y="48" fill="#555">${escapeXml(chart.subtitle)}</text>`,
    ...yTicks,
    ...xTicks,
    `<rect x="${PLOT.left}" y="${PLOT.top}" width="${PLOT.right - PLOT.left}" height="${PLOT.bottom - PLOT.top}" fill="none" stroke="#999"/>`,
    ...lines,
    ...legend,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${PLOT.bottom + 42}" text-anchor="middle">${escapeXml(chart.xLabel)}</text>`,
    `<text x="22" y="${middle}" text-anchor="middle" transform="rotate(-90 22 ${middle})">${escapeXml(chart.yLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
};
