/**
 * AWS's own limits that the capacity plan measures against, where the code has no constant of
 * its own. Each names the page it comes from (read 2026-12-07) and what to ask AWS for.
 */

import { CONCURRENCY_QUOTA_CODE } from '../preflight/concurrency.js';

export { ACCOUNT_POSTS_PER_SECOND } from '../../bench/e2e/batching-quota.js';

/** Where an increase of the `@connections` quota is asked for (Service Quotas code L-8A5B8E43). */
export const POSTS_QUOTA_NAME =
  'Service Quotas › Amazon API Gateway › "Throttle quota per account, per Region across HTTP APIs, REST APIs, WebSocket APIs, and WebSocket callback APIs" (L-8A5B8E43)';

/** https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html */
export const POSTS_QUOTA_SOURCE =
  'docs.aws.amazon.com/apigateway/latest/developerguide/limits.html';

/**
 * Lambda's concurrent executions per account and Region by default (new accounts often get 10);
 * https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const ACCOUNT_CONCURRENCY = 1_000;

export const CONCURRENCY_QUOTA_NAME = `Service Quotas › AWS Lambda › "Concurrent executions" (${CONCURRENCY_QUOTA_CODE})`;

/**
 * What one DynamoDB partition serves a second, on-demand or not: 1,000 write units and 3,000
 * strongly consistent read units. Not a quota: a room's log is one partition key (`ROOM#<room>`),
 * so no request raises it. https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html
 */
export const PARTITION_WCU = 1_000;
export const PARTITION_RCU = 3_000;
