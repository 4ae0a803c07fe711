import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { noDynamo } from '../dynamo-meter.js';
import { renderLogChart } from '../log-chart.js';
import { type machine, median, printTable, ratio, round, summarize } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { Probe } from './crowd/fanout.js';
import type { SizeResult } from './fanout.js';

type Summary = ReturnType<typeof summarize>;

/** Per room size: send -> last member, on each target, and what the two handlers spent on it. */
export interface FanoutRow {
  members: number;
  /** Measured messages (the chat's). */
  messages: number;
  chat: Summary;
  seeds: Summary;
  floor: Summary;
  /** Send -> first member, on the chat. */
  first: Summary;
  missing: { chat: number; seeds: number; floor: number };
  /** The chat's handler. */
  handler: ContainerSnapshot;
  seedsHandler: ContainerSnapshot;
}

const EMPTY: ContainerSnapshot = { durations: {}, posts: 0, ...noDynamo() };

/** The rows of one run, a row per size that the chat measured. */
export const fanoutRows = (results: Record<'chat' | 'seeds' | 'floor', SizeResult[]>) =>
  results.chat.map((chat): FanoutRow => {
    const seeds = results.seeds.find((other) => other.size === chat.size);
    const floor = results.floor.find((other) => other.size === chat.size);
    return {
      members: chat.size,
      messages: chat.result.last.length,
      chat: summarize(chat.result.last),
      seeds: summarize(seeds?.result.last ?? []),
      floor: summarize(floor?.result.last ?? []),
      first: summarize(chat.result.first),
      missing: {
        chat: chat.result.missing,
        seeds: seeds?.result.missing ?? Number.NaN,
        floor: floor?.result.missing ?? Number.NaN,
      },
      handler: chat.handler ?? EMPTY,
      seedsHandler: seeds?.handler ?? EMPTY,
    };
  });

/** Prints one run's table. */
export const printFanout = (rows: FanoutRow[], probe: Probe) => {
  const perMessage = (snapshot: ContainerSnapshot, messages: number) =>
    round(snapshot.posts / Math.max(1, messages), 1);
  printTable(
    `Fan-out, side by side: send -> LAST member has it (ms); one room connected alone per target, ` +
      `${probe.warmup} warm-up, ${probe.messages} measured; seeds = Scan + Promise.all, floor = bare ws`,
    rows.map((row) => ({
      members: row.members,
      'chat p50': row.chat.p50,
      'chat p90': row.chat.p90,
      'chat p99': row.chat.p99,
      'seeds p50': row.seeds.p50,
      'seeds p90': row.seeds.p90,
      'seeds p99': row.seeds.p99,
      'floor p50': row.floor.p50,
      'floor p99': row.floor.p99,
      'seeds/chat': ratio(row.seeds.p50, row.chat.p50),
      'chat/floor': ratio(row.chat.p50, row.floor.p50),
      'chat first p50': row.first.p50,
      'chat handler p50': summarize(row.handler.durations.sendmessage ?? []).p50,
      'posts/msg chat': perMessage(row.handler, row.messages),
      'posts/msg seeds': perMessage(row.seedsHandler, row.seeds.count),
      'missing c/s/f': `${row.missing.chat}/${row.missing.seeds}/${row.missing.floor}`,
    })),
  );
};

/** Every run's p50s and ratios, a row per size and run, so reruns can be read side by side. */
export const printRatios = (runs: FanoutRow[][]) => {
  if (runs.length < 2) return;
  printTable(
    'Fan-out, every run: p50 ms per target; seeds/chat and chat/floor from the same run',
    runs
      .flatMap((rows, i) =>
        rows.map((row) => ({
          members: row.members,
          run: i + 1,
          chat: row.chat.p50,
          seeds: row.seeds.p50,
          floor: row.floor.p50,
          'seeds/chat': ratio(row.seeds.p50, row.chat.p50),
          'chat/floor': ratio(row.chat.p50, row.floor.p50),
        })),
      )
      .sort((a, b) => a.members - b.members || a.run - b.run),
  );
};

/** Where the chart goes: docs/benchmarks.md shows it. */
export const FANOUT_CHART = fileURLToPath(new URL('../fanout.svg', import.meta.url));

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
