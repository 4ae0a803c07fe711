import { printTable, round, summarize } from '../stats.js';
import type { ContainerSnapshot } from './container.js';
import type { FanoutRow } from './fanout.js';

/**
 * Public on-demand prices, us-east-1, as checked on 2026-11-25 (aws.amazon.com pricing pages for
 * API Gateway, Lambda and DynamoDB; DynamoDB's on-demand prices are those after the
 * November 2024 cut).
 */
export const PRICES = {
  checked: '2026-11-25',
  region: 'us-east-1',
  /** WebSocket API: per million messages (first billion a month), metered in 32 KB steps. */
  apiGatewayMessage: 1.0,
  apiGatewayConnectionMinute: 0.25,
  /** Lambda arm64: per GB-second (first 7.5 billion a month) and per million requests. */
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2,
  /** DynamoDB on-demand: per million write and read request units. */
  dynamoWru: 0.625,
  dynamoRru: 0.125,
  /** The function's memory as infra/ deploys it (1024 MB). */
  lambdaMemoryGb: 1,
} as const;

const WRITES = ['UpdateItem', 'PutItem', 'DeleteItem'];
const READS = ['GetItem', 'Query', 'BatchGetItem'];

/** What a room's measured messages cost the handler: the meters' totals, and its Lambda time. */
export interface Spent {
  messages: number;
  handler: ContainerSnapshot;
  /** Lambda time billed per message, ms. */
  lambdaMs: number;
  /** Lambda requests per message. */
  invocations: number;
}

/**
 * Dollars per million chat messages, line by line, from what the handler did for the measured
 * messages: posts, DynamoDB units (transactions counted the way AWS bills them, 2 WRU per item),
 * Lambda requests and time as measured here.
 */
export const costLines = ({ messages, handler, lambdaMs, invocations }: Spent) => {
  const per = (value: number) => value / messages;
  const sum = (keys: string[]) =>
    keys.reduce((total, key) => total + (handler.capacity[key] ?? 0), 0);
  const posts = per(handler.posts);
  const wru = per(sum(WRITES) + handler.commands.transactWru);
  const rru = per(sum(READS));
  const gbSeconds = (lambdaMs / 1000) * PRICES.lambdaMemoryGb;
  const lines = [
    {
      item: 'API Gateway messages (1 in + posts out)',
      perMessage: 1 + posts,
      price: PRICES.apiGatewayMessage,
    },
    { item: 'Lambda requests', perMessage: invocations, price: PRICES.lambdaRequest },
    {
      item: `Lambda GB-s (${round(lambdaMs, 2)} ms at 1 GB, local)`,
      perMessage: gbSeconds,
      price: PRICES.lambdaGbSecond * 1e6,
    },
    { item: 'DynamoDB write units (tx: 2 per item)', perMessage: wru, price: PRICES.dynamoWru },
    { item: 'DynamoDB read units', perMessage: rru, price: PRICES.dynamoRru },
  ].map(({ item, perMessage, price }) => ({
    item,
    'per message': round(perMessage, 4),
    '$ per million messages': round(perMessage * price, 2),
  }));
  const total = lines.reduce((sum, line) => sum + line['$ per million messages'], 0);
  return {
    posts,
    wru,
    rru,
    rows: [
      ...lines,
      { item: 'total', 'per message': '-', '$ per million messages': round(total, 2) },
    ],
    total: round(total, 2),
  };
};

/**
 * Dollars per million chat messages in the fan-out's room, one invocation per message billed at
 * its handler's p50.
 */
export const costPerMessage = (row: FanoutRow) => {
  const { handler, messages } = row;
  const handlerMs = summarize(handler.durations.sendmessage ?? []).p50;
  const { posts, wru, rru, rows } = costLines({
    messages,
    handler,
    lambdaMs: handlerMs,
    invocations: 1,
  });
  printTable(
    `Cost per message, room of ${row.members} (prices ${PRICES.region}, checked ${PRICES.checked})`,
    rows,
  );
  return {
    members: row.members,
    postsPerMessage: posts,
    wruPerMessage: round(wru, 2),
    rruPerMessage: round(rru, 2),
    handlerMs,
    dynamoCalls: Object.fromEntries(
      Object.entries(handler.commands.calls).map(([op, n]) => [op, round(n / messages, 2)]),
    ),
    dollarsPerMillion: rows,
  };
};
