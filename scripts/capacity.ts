/**
 * `npm run capacity -- --members 1000 --rate 10`: what a room's load asks of API Gateway, DynamoDB
 * and Lambda, which limit binds first and what to raise, and what it costs
 * (`scripts/capacity/plan.ts`). `--json` prints the plan as JSON; `--readme` the table of
 * docs/deploy.md#quotas-that-matter. The function's settings come from this environment, as
 * `readConfig` reads them.
 */

import { parseCapacityArgs, USAGE, UsageError } from './capacity/args.js';
import { formatPlan, README_HEADER, readmeRow } from './capacity/format.js';
import { plan } from './capacity/plan.js';
import { planSettings } from './capacity/settings.js';

/**
 * The rows of docs/deploy.md#quotas-that-matter: rooms from small to the largest allowed, at rates
 * people reach.
 */
const README_LOADS = [
  [100, 10],
  [100, 100],
  [1_000, 1],
  [1_000, 10],
  [1_000, 50],
  [5_000, 2],
  [5_000, 10],
] as const;

try {
  const args = parseCapacityArgs(process.argv.slice(2));
  const { batchWindowMs: configured, ...settings } = planSettings(process.env, {
    ...(args.reserved === undefined ? {} : { reservedConcurrency: args.reserved ?? undefined }),
    ...(args.accountConcurrency === undefined
      ? {}
      : { accountConcurrency: args.accountConcurrency }),
  });
  const batchWindowMs =
    args.batchWindowMs === undefined ? configured : args.batchWindowMs || undefined;
  if (args.readme) {
    const rows = README_LOADS.map(([members, rate]) =>
      readmeRow(plan({ members, rate, rooms: 1, batchWindowMs }, settings)),
    );
    console.log([...README_HEADER, ...rows].join('\n'));
  } else {
    const result = plan(
      { members: args.members, rate: args.rate, rooms: args.rooms, batchWindowMs },
      settings,
    );
    console.log(args.json ? JSON.stringify(result, null, 2) : formatPlan(result));
  }
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`${error.message}\n${USAGE}`);
  process.exitCode = 2;
}
