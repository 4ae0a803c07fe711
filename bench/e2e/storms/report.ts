import { printTable, round } from '../../stats.js';
import type { StormOutcome } from '../storms.js';
import type { StormRuntime } from './all.js';
import type { Figure } from './scenario.js';

const cell = (value: Figure | undefined) =>
  value === undefined ? '-' : value === null ? 'never' : value;

/** `a / b` when both are numbers and `b` is not 0; blank otherwise. */
export const ratioCell = (a: Figure | undefined, b: Figure | undefined) =>
  typeof a === 'number' && typeof b === 'number' && b !== 0 && Number.isFinite(a / b)
    ? round(a / b)
    : '';

/** An outcome's figures: the storm's, the runtime's and the log's; a failure as one figure. */
const figuresOf = (outcome: StormOutcome | undefined): Record<string, Figure> => {
  if (!outcome) return {};
  const own = outcome.ok
    ? outcome.figures
    : { failed: outcome.error.split('\n')[0]?.slice(0, 100) ?? 'failed' };
  return { ...own, ...outcome.logged };
};

/** One storm's table: a row per figure, a column per runtime, and their ratio when both ran. */
export const printStorm = (
  title: string,
  runtimes: readonly StormRuntime[],
  outcomes: Partial<Record<StormRuntime, StormOutcome>>,
) => {
  const figures = runtimes.map((runtime) => figuresOf(outcomes[runtime]));
  const names = [...new Set(figures.flatMap((byName) => Object.keys(byName)))];
  const [first, second] = runtimes;
  const rows = names.map((name) => ({
    figure: name,
    ...Object.fromEntries(runtimes.map((runtime, i) => [runtime, cell(figures[i]?.[name])])),
    ...(first && second
      ? { [`${first} / ${second}`]: ratioCell(figures[0]?.[name], figures[1]?.[name]) }
      : {}),
  }));
  printTable(title, rows);
};

/** The emulator's memory once idle after the last storm, per runtime, and DynamoDB Local's. */
export const printMemory = (
  runtimes: readonly StormRuntime[],
  memory: {
    emulatorIdleRssMiB: Partial<Record<StormRuntime, number | null>>;
    dynamoLocalRssMiB: number | null;
  },
) =>
  printTable(
    'Storms: resident memory (MiB) once idle after the join storm (its clients gone; in a full run, once the pool has reaped its idle workers); the emulator process only (its containers are threads in it), a process per storm and runtime; DynamoDB Local (Java, every table of the run) at the end',
    runtimes.map((runtime) => ({
      runtime,
      'emulator RSS MiB': cell(memory.emulatorIdleRssMiB[runtime]),
      'DynamoDB Local RSS MiB': cell(memory.dynamoLocalRssMiB),
    })),
  );
