import { printTable, round, summarize } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { Probe, SizeResult } from './fanout-target.js';

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

const EMPTY: ContainerSnapshot = {
  durations: {},
  posts: 0,
  capacity: {},
  commands: { calls: {}, transactItems: 0, transactWru: 0 },
};

/** The rows of one run, a row per size that the chat measured. */
export const fanoutRows = (results: {
  chat: SizeResult[];
  seeds: SizeResult[];
  floor: SizeResult[];
}): FanoutRow[] =>
  results.chat.map((chat) => {
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

/** p50 of `a` over p50 of `b`, to one decimal. */
const ratio = (a: Summary, b: Summary) => round(a.p50 / b.p50, 2);

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
      'seeds/chat': ratio(row.seeds, row.chat),
      'chat/floor': ratio(row.chat, row.floor),
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
          'seeds/chat': ratio(row.seeds, row.chat),
          'chat/floor': ratio(row.chat, row.floor),
        })),
      )
      .sort((a, b) => a.members - b.members || a.run - b.run),
  );
};
