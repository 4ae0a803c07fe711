/** `npm run capacity` arguments: parsed and checked, or a `UsageError` saying what is wrong. */

import { parseArgs } from 'node:util';

export const USAGE =
  'usage: npm run capacity -- --members N --rate MSGS_PER_S [--rooms N] [--batch-window MS (0: off)] ' +
  '[--reserved N|none] [--account-concurrency N] [--json] | --readme [--batch-window MS]';

/** Arguments the plan cannot use; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface CapacityArgs {
  members: number;
  rate: number;
  rooms: number;
  /** Undefined: the function's setting; 0: off. */
  batchWindowMs: number | undefined;
  /** Undefined: `infra/`'s default; null: none reserved. */
  reserved: number | null | undefined;
  accountConcurrency: number | undefined;
  json: boolean;
  readme: boolean;
}

const number = (
  name: string,
  value: string | undefined,
  { whole = false, min = 0, above = false } = {},
) => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  const ok =
    value.trim() !== '' &&
    Number.isFinite(parsed) &&
    (!whole || Number.isInteger(parsed)) &&
    (above ? parsed > min : parsed >= min);
  if (!ok) {
    const kind = whole ? 'a whole number' : 'a number';
    throw new UsageError(
      `--${name} must be ${kind} ${above ? 'above' : 'of at least'} ${min}, not "${value}"`,
    );
  }
  return parsed;
};

/** Parses `argv` (without node and the script). */
export const parseCapacityArgs = (argv: string[]): CapacityArgs => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        members: { type: 'string' },
        rate: { type: 'string' },
        rooms: { type: 'string' },
        'batch-window': { type: 'string' },
        reserved: { type: 'string' },
        'account-concurrency': { type: 'string' },
        json: { type: 'boolean', default: false },
        readme: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const text = (name: string) => values[name] as string | undefined;
  const readme = values.readme === true;
  const members = number('members', text('members'), { whole: true, min: 1 });
  const rate = number('rate', text('rate'), { min: 0, above: true });
  if (!readme && (members === undefined || rate === undefined)) {
    throw new UsageError('--members and --rate are required');
  }
  const reserved = text('reserved');
  return {
    members: members ?? 0,
    rate: rate ?? 0,
    rooms: number('rooms', text('rooms'), { whole: true, min: 1 }) ?? 1,
    batchWindowMs: number('batch-window', text('batch-window'), { whole: true }),
    reserved: reserved === 'none' ? null : number('reserved', reserved, { whole: true, min: 1 }),
    accountConcurrency: number('account-concurrency', text('account-concurrency'), {
      whole: true,
      min: 1,
    }),
    json: values.json === true,
    readme,
  };
};
