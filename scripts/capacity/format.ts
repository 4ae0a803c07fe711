/**
 * The plan as a person reads it: aligned tables, and a row of docs/deploy.md#quotas-that-matter.
 */

import { MEASURED_SOURCE } from './measured.js';
import type { Plan } from './plan.js';
import { POSTS_QUOTA_SOURCE } from './quotas.js';

const figure = (value: number, digits = 1) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        maximumFractionDigits: value !== 0 && Math.abs(value) < 1 ? 3 : digits,
      })
    : value > 0
      ? 'any'
      : '-';

const percent = (share: number) =>
  Number.isFinite(share) ? `${Math.round(share * 100)}%` : 'over';

/** Columns padded to their widest cell. */
const table = (rows: string[][]) => {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};

const delivery = (plan: Plan) => {
  const { delivery: d } = plan;
  if (!d.round)
    return 'each message posted to every member by its own invocation (batched delivery off)';
  const { periodMs, pacedBy, busy } = d.round;
  return busy
    ? `batched: a round every ${figure(periodMs, 0)} ms (set by the ${pacedBy}), ${figure(d.messagesPerFanOut)} messages a round, ${d.framesPerMember} frame(s) per member`
    : `batched, but quiet: each message is its own round (rounds may start every ${figure(periodMs, 0)} ms, set by the ${pacedBy})`;
};

/** The plan as text. */
export const formatPlan = (plan: Plan) => {
  const { input, delivery: d, dynamo, room, binding, bindingAws, cost } = plan;
  const per = input.rooms > 1 ? ' per room' : '';
  const lines = [
    `${input.rooms} room(s) of ${figure(input.members, 0)} members, ${figure(input.rate)} messages a second each`,
    `delivery: ${delivery(plan)}`,
    `fan-out: ${d.workers} invocation(s), ${figure(d.fanOutMs, 0)} ms to the last member (est.)`,
    `room's budgets: admit ${figure(room.maxRate)} messages/s${per}: ${room.refuses ? 'REFUSES part of this rate (rate_limited, "room is busy")' : 'no refusals at this rate'}`,
    '',
    table([
      ['per second (all rooms)', 'value'],
      ['@connections posts', figure(input.rooms * d.postsPerSecond, 0)],
      ["room's partition WCU (each room)", figure(dynamo.partitionWcu)],
      ["room's partition RCU (each room)", figure(dynamo.partitionRcu)],
      [
        'DynamoDB WRU / RRU billed',
        `${figure(input.rooms * dynamo.wru, 0)} / ${figure(input.rooms * dynamo.rru, 0)}`,
      ],
      ['Lambda requests', figure(input.rooms * d.invocationsPerSecond)],
      ['Lambda concurrency (average)', figure(input.rooms * d.concurrency)],
    ]),
    '',
    table([
      ['limit', 'kind', 'used', 'of', 'share', `binds at msgs/s${per}`, 'to raise'],
      ...plan.limits.map((row) => [
        row.name,
        row.kind,
        figure(row.used),
        `${figure(row.of, 0)} ${row.unit}`,
        percent(row.share),
        figure(row.ceiling),
        row.raise,
      ]),
    ]),
    '',
    `binds first: ${binding.name} at ${figure(binding.ceiling)} messages/s${per} (${percent(binding.share)} used now); ${toRaise(binding.raise)}`,
    ...(bindingAws === binding
      ? []
      : [
          `first of AWS's: ${bindingAws.name} at ${figure(bindingAws.ceiling)} messages/s${per} (${percent(bindingAws.share)} used now); ${toRaise(bindingAws.raise)}`,
        ]),
    '',
    table([
      ['cost', '$ per hour'],
      ...cost.lines.map((line) => [line.item, line.perHour.toFixed(4)]),
      ['total', cost.perHour.toFixed(4)],
      ['per million messages', cost.perMillionMessages.toFixed(2)],
    ]),
    '',
    `prices: ${cost.prices}; quotas: ${POSTS_QUOTA_SOURCE} and scripts/capacity/quotas.ts; times: ${MEASURED_SOURCE}`,
  ];
  return lines.join('\n');
};

export const README_HEADER = [
  '| members | msgs/s | delivery | posts/s | partition WCU/s | concurrency | $/hour | $/M msgs | binds first (at msgs/s) |',
  '|---:|---:|---|---:|---:|---:|---:|---:|---|',
];

/** One row of the table in docs/deploy.md#quotas-that-matter. */
export const readmeRow = ({ input, delivery: d, dynamo, binding, cost }: Plan) =>
  `| ${figure(input.members, 0)} | ${figure(input.rate)} | ${d.round ? 'batched' : 'each message'} | ${figure(d.postsPerSecond, 0)} | ${figure(dynamo.partitionWcu, 0)} | ${figure(d.concurrency)} | ${cost.perHour.toFixed(2)} | ${cost.perMillionMessages.toFixed(2)} | ${binding.name} (${figure(binding.ceiling)}) |`;

/** What to do about a binding limit: raise a setting, or what helps when nothing raises it. */
const toRaise = (raise: string) => (raise.startsWith('nothing') ? raise : `raise ${raise}`);
