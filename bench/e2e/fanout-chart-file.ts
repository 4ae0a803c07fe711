import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderLogChart } from '../log-chart.js';
import type { machine } from '../stats.js';
import type { FanoutRow } from './fanout-rows.js';

/** Where the chart goes: BENCHMARKS.md and the README show it. */
export const FANOUT_CHART = fileURLToPath(new URL('../fanout.svg', import.meta.url));

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor((sorted.length - 1) / 2)] as number);
};

/**
 * Writes bench/fanout.svg: fan-out p50 against members for the chat, the seeds' algorithm and the
 * floor; with several runs, each point is the median of the runs' p50s.
 */
export const writeFanoutChart = async (
  runs: FanoutRow[][],
  host: Awaited<ReturnType<typeof machine>>,
) => {
  const sizes = [...new Set(runs.flat().map((row) => row.members))].sort((a, b) => a - b);
  const line = (pick: (row: FanoutRow) => number) =>
    sizes.map((size) => ({
      x: size,
      y: median(runs.flatMap((rows) => rows.filter((row) => row.members === size).map(pick))),
    }));
  const date = new Date().toISOString().slice(0, 10);
  const svg = renderLogChart({
    title: 'Fan-out: from a send until the last member has it (p50)',
    subtitle: `${date}, ${host.cores} × ${host.cpu}, Node ${host.node}; ${runs.length === 1 ? 'one run' : `median of ${runs.length} runs`}, local emulator + DynamoDB Local`,
    xLabel: 'members in the room (log)',
    yLabel: 'ms (log)',
    series: [
      { name: 'chat', color: '#1f6fd1', points: line((row) => row.chat.p50) },
      { name: "seeds' algorithm", color: '#d1361f', points: line((row) => row.seeds.p50) },
      {
        name: 'floor (bare ws)',
        color: '#777',
        dashed: true,
        points: line((row) => row.floor.p50),
      },
    ],
  });
  await writeFile(FANOUT_CHART, svg);
  return FANOUT_CHART;
};
