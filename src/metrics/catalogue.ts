/**
 * Every metric the handler emits (CloudWatch Embedded Metric Format, see `recorder.ts`), in one
 * place: the dashboard, the alarms (`infra/observability.ts`) and the local dashboard read their
 * names from here. Dimensions are few and bounded: `service` (always `chat`), `stage`, and for
 * the per-route metrics `route` (an API Gateway route key or a self-invocation's kind). Never a
 * room or a connection: each distinct value would be a custom metric of its own, billed monthly.
 */

/** The CloudWatch namespace of every metric. */
export const NAMESPACE = 'ServerlessChat';

/** The `service` dimension's one value. */
export const SERVICE = 'chat';

/** Units as EMF spells them. */
export type MetricUnit = 'Count' | 'Milliseconds';

/** Metrics with the dimensions `service`, `stage` and `route`. */
export const ROUTE_METRICS = {
  /** One per invocation of the route. */
  Invocations: 'Count',
  /** The handler's time for the invocation, from its first middleware to its response. */
  Duration: 'Milliseconds',
  /** Invocations that ended in the error boundary (an unexpected error). */
  Errors: 'Count',
} as const satisfies Record<string, MetricUnit>;

/** Error codes a client may be refused with, each its own metric (`Refused.<code>`). */
export const REFUSAL_CODES = [
  'invalid_message',
  'invalid_request',
  'unknown_action',
  'rate_limited',
  'forbidden',
  'not_found',
  'flooding',
  'kicked',
  'banned',
  'rejected',
] as const;

/** Budgets whose refusals are counted (`RefusedBudget.<budget>`). */
export const REFUSED_BUDGETS = [
  /** A connection's frames. */
  'frames',
  /** A connection's history reads. */
  'history',
  /** A connection's typing notices. */
  'typing',
  /** A source network's share over all its connections. */
  'network',
  /** A room's posts or write units (everyone in it together). */
  'room',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];
export type RefusedBudget = (typeof REFUSED_BUDGETS)[number];

/** Metrics with the dimensions `service` and `stage` (not by route: fewer metrics to pay for). */
export const STAGE_METRICS = {
  /** A container's first invocation. */
  ColdStarts: 'Count',
  /** Messages stored (sends, not edits or deletes). */
  MessagesSent: 'Count',
  /** A fan-out's time from its start to its last member's post (one value per fan-out). */
  FanoutTime: 'Milliseconds',
  /** Members a fan-out was for (one value per fan-out). */
  FanoutMembers: 'Count',
  /** Posts to `@connections` that were delivered (2xx), by the invocation that made them. */
  PostsDelivered: 'Count',
  /** Members pruned: their post answered 410 and their `$connect` was long over. */
  PostsPruned: 'Count',
  /** Posts that failed after their retries (not 410). */
  PostsFailed: 'Count',
  /** `@connections` answers of 429 (each one retried; the account's shared rate is near). */
  PostsThrottled: 'Count',
  /** Members not posted to because the invocation ran short of time (they catch up by seq). */
  PostsUnreached: 'Count',
  /** Invocations that took part in a fan-out, the coordinator included (one value per fan-out). */
  FanoutWorkers: 'Count',
  /** Fan-out worker groups whose worker failed and whose coordinator posted them itself. */
  FanoutGroupsTakenBack: 'Count',
  /** Messages in one delivery round of a busy room (one value per round). */
  BatchMessages: 'Count',
  /** DynamoDB requests answered with a throttle (each retried by the SDK). */
  DynamoDBThrottles: 'Count',
  /**
   * DynamoDB writes refused by their condition. The chat decides with conditions (a budget spent,
   * a delivery lease held, a notice coalesced, a duplicate send) as well as racing on them (two
   * writers on one seq), so this follows traffic: its ratio to `MessagesSent` is the signal.
   */
  ConditionalCheckLosses: 'Count',
  /** Messages a replay or history request sent. */
  ReplayMessages: 'Count',
  /** Pages of the log a replay or history request read. */
  ReplayPages: 'Count',
} as const satisfies Record<string, MetricUnit>;

export type RouteMetric = keyof typeof ROUTE_METRICS;
export type StageMetric =
  | keyof typeof STAGE_METRICS
  | `Refused.${RefusalCode}`
  | `RefusedBudget.${RefusedBudget}`;

/** The unit of a stage-level metric. */
export const unitOf = (name: StageMetric): MetricUnit =>
  name in STAGE_METRICS ? STAGE_METRICS[name as keyof typeof STAGE_METRICS] : 'Count';

/** Every stage-level metric's name, refusals included. */
export const STAGE_METRIC_NAMES: readonly StageMetric[] = [
  ...(Object.keys(STAGE_METRICS) as (keyof typeof STAGE_METRICS)[]),
  ...REFUSAL_CODES.map((code) => `Refused.${code}` as const),
  ...REFUSED_BUDGETS.map((budget) => `RefusedBudget.${budget}` as const),
];
