import { Duration } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IAlarm,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Operation, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  REFUSAL_CODES,
  REFUSED_BUDGETS,
  type RouteMetric,
  type StageMetric,
} from '../src/metrics/catalogue.js';
import { apiMetric, METRIC_ROUTES, PERIOD, routeMetric, stageMetric } from './chat-metrics.js';
import { TABLE_ACTIONS } from './table-access.js';

/** What the dashboard draws: one stage's function, table, API, failed-replay queue and alarms. */
export interface DashboardSources {
  dashboardName: string;
  stage: string;
  fn: IFunction;
  table: Table;
  api: WebSocketApi;
  apiStage: WebSocketStage;
  failedReplays: IQueue;
  alarms: IAlarm[];
}

const graph = (title: string, left: IMetric[], unit?: string) =>
  new GraphWidget({
    title,
    left,
    width: 12,
    height: 6,
    ...(unit === undefined ? {} : { leftYAxis: { label: unit, showUnits: false, min: 0 } }),
  });

/** One CloudWatch dashboard for the stage: the alarms' state on top, then a row a subject. */
export const createDashboard = (scope: Construct, sources: DashboardSources) => {
  const { stage, fn, table, api, apiStage } = sources;
  const ours = (name: StageMetric, statistic = 'Sum') =>
    stageMetric(stage, name, { statistic, label: statistic === 'Sum' ? name : statistic });
  const byRoute = (name: RouteMetric, statistic: string) =>
    METRIC_ROUTES.map((route) => routeMetric(stage, name, route, { statistic }));
  const period = { period: PERIOD };
  // The operations the function's role allows are the only ones it can be throttled on.
  const operations = TABLE_ACTIONS.map((action) => action.replace('dynamodb:', '') as Operation);
  return new Dashboard(scope, 'Dashboard', {
    dashboardName: sources.dashboardName,
    defaultInterval: Duration.hours(3),
    widgets: [
      [new AlarmStatusWidget({ title: 'Alarms', alarms: sources.alarms, width: 24, height: 3 })],
      [
        graph('Function: invocations, errors, throttles', [
          fn.metricInvocations(period),
          fn.metricErrors(period),
          fn.metricThrottles(period),
        ]),
        graph(
          'Function: duration (ms)',
          ['p50', 'p99', 'Maximum'].map((statistic) =>
            fn.metricDuration({ ...period, statistic, label: statistic }),
          ),
          'ms',
        ),
      ],
      [
        graph('Invocations by route', byRoute('Invocations', 'Sum')),
        graph('Duration by route, p99 (ms)', byRoute('Duration', 'p99'), 'ms'),
      ],
      [
        graph('Fan-out time (ms)', [ours('FanoutTime', 'p50'), ours('FanoutTime', 'p99')], 'ms'),
        graph(
          'Posts to connections',
          (
            [
              'PostsDelivered',
              'PostsPruned',
              'PostsFailed',
              'PostsThrottled',
              'PostsUnreached',
            ] as const
          ).map((name) => ours(name)),
        ),
      ],
      [
        graph(
          'Refusals by code',
          REFUSAL_CODES.map((code) => ours(`Refused.${code}`)),
        ),
        graph(
          'Refusals by budget',
          REFUSED_BUDGETS.map((budget) => ours(`RefusedBudget.${budget}`)),
        ),
      ],
      [
        graph('DynamoDB: throttles and lost conditions', [
          ours('DynamoDBThrottles'),
          ours('ConditionalCheckLosses'),
          table.metricThrottledRequestsForOperations({
            ...period,
            operations,
            label: 'ThrottledRequests (AWS/DynamoDB)',
          }),
        ]),
        graph('DynamoDB: consumed capacity units', [
          table.metricConsumedReadCapacityUnits(period),
          table.metricConsumedWriteCapacityUnits(period),
        ]),
      ],
      [
        graph('API Gateway: connections and messages', [
          apiMetric(api, apiStage, 'ConnectCount'),
          apiMetric(api, apiStage, 'MessageCount'),
        ]),
        graph('API Gateway: errors', [
          apiMetric(api, apiStage, 'IntegrationError'),
          apiMetric(api, apiStage, 'ExecutionError'),
        ]),
      ],
      [
        graph('Failed replays waiting in their queue', [
          sources.failedReplays.metricApproximateNumberOfMessagesVisible({
            ...period,
            statistic: 'Maximum',
          }),
        ]),
        graph('Messages per delivery round', [
          ours('BatchMessages', 'p50'),
          ours('BatchMessages', 'Maximum'),
        ]),
      ],
      [
        graph('Cold starts', [ours('ColdStarts')]),
        graph('Fan-out size', [
          ours('FanoutMembers', 'p50'),
          ours('FanoutMembers', 'Maximum'),
          ours('FanoutWorkers', 'Maximum'),
          ours('FanoutGroupsTakenBack'),
        ]),
      ],
      [
        graph('Messages sent and replayed', [
          ours('MessagesSent'),
          ours('ReplayMessages'),
          ours('ReplayPages'),
        ]),
        graph('Errors by route (the error boundary)', byRoute('Errors', 'Sum')),
      ],
    ],
  });
};
