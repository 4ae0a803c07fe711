import { Duration } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { apiMetric, PERIOD, stageMetric } from './chat-metrics.js';

/** What the alarms watch: one stage's function, API, failed-replay queue and its reservation. */
export interface AlarmSources {
  stage: string;
  /** Prefixes every alarm's name, so an email's subject says which stage. */
  stackName: string;
  fn: IFunction;
  api: WebSocketApi;
  apiStage: WebSocketStage;
  failedReplays: IQueue;
  reservedConcurrency: number | undefined;
}

/** Each alarm's threshold; docs/operations.md ("Alarms") says why and what to do. */
export const ALARM_THRESHOLDS = {
  /** Lambda's errors: crashes or 28 s timeouts past the error boundary; 5 in 5 min is no blip. */
  FunctionErrors: 5,
  /** A throttle refuses a frame or holds a replay back: 10 in 5 min is the cap, not a spike. */
  FunctionThrottles: 10,
  /** Clients saw the function fail or time out: 5 in 5 minutes. */
  ApiIntegrationErrors: 5,
  /** API Gateway itself failed requests: 5 in 5 minutes. */
  ApiExecutionErrors: 5,
  /**
   * Milliseconds. A 5,000-member room fans out in about 1.3 s (docs/benchmarks.md): a p99 over 3 s
   * for 15 minutes is slow for everyone.
   */
  FanoutP99: 3_000,
  /** Failed posts are neither delivered nor gone (410): 5 % for 15 minutes is a broken path. */
  PostFailureRatio: 0.05,
  /** The SDK retries each throttle: 10 in each of two 5-minute periods is a hot partition. */
  DynamoDBThrottles: 10,
  /** One record is one replay lost: someone reconnected without their missed messages. */
  FailedReplays: 1,
  /** Share of the reservation busy (a minute's maximum, 3 minutes running): 80 % leaves room. */
  ConcurrencyShare: 0.8,
} as const;

type AlarmName = Exclude<keyof typeof ALARM_THRESHOLDS, 'ConcurrencyShare'> | 'Concurrency';

interface AlarmSpec {
  metric: IMetric;
  threshold: number;
  description: string;
  /** Consecutive periods that must breach; 1 unless said. */
  periods?: number;
}

/**
 * The stage's alarms, each sending its ALARM and OK to the topic. Missing data never breaches:
 * a quiet stage has no posts, no fan-outs and no errors, and that is fine.
 */
export const createAlarms = (scope: Construct, sources: AlarmSources, topic: ITopic) => {
  const { stage, fn, api, apiStage } = sources;
  const t = ALARM_THRESHOLDS;
  const specs: Partial<Record<AlarmName, AlarmSpec>> = {
    FunctionErrors: {
      metric: fn.metricErrors({ period: PERIOD }),
      threshold: t.FunctionErrors,
      description: 'The function crashed or timed out',
    },
    FunctionThrottles: {
      metric: fn.metricThrottles({ period: PERIOD }),
      threshold: t.FunctionThrottles,
      description: 'Lambda refused invocations: the reservation or the account quota is reached',
    },
    ApiIntegrationErrors: {
      metric: apiMetric(api, apiStage, 'IntegrationError'),
      threshold: t.ApiIntegrationErrors,
      description: 'API Gateway got an error or no answer from the function',
    },
    ApiExecutionErrors: {
      metric: apiMetric(api, apiStage, 'ExecutionError'),
      threshold: t.ApiExecutionErrors,
      description: 'API Gateway failed requests itself',
    },
    FanoutP99: {
      metric: stageMetric(stage, 'FanoutTime', { statistic: 'p99' }),
      threshold: t.FanoutP99,
      periods: 3,
      description: 'Messages take long to reach the last member of their room (p99, ms)',
    },
    PostFailureRatio: {
      metric: new MathExpression({
        expression: 'failed / (delivered + failed)',
        usingMetrics: {
          failed: stageMetric(stage, 'PostsFailed'),
          delivered: stageMetric(stage, 'PostsDelivered'),
        },
        period: PERIOD,
        label: 'PostsFailed / (PostsDelivered + PostsFailed)',
      }),
      threshold: t.PostFailureRatio,
      periods: 3,
      description: 'A share of posts to connections fails after its retries',
    },
    DynamoDBThrottles: {
      metric: stageMetric(stage, 'DynamoDBThrottles'),
      threshold: t.DynamoDBThrottles,
      periods: 2,
      description: 'DynamoDB keeps throttling the table (a hot room, or a traffic jump)',
    },
    FailedReplays: {
      metric: sources.failedReplays.metricApproximateNumberOfMessagesVisible({
        statistic: 'Maximum',
        period: PERIOD,
      }),
      threshold: t.FailedReplays,
      description: 'Replays were dropped: their records wait in the failed-replays queue',
    },
  };
  if (sources.reservedConcurrency !== undefined) {
    specs.Concurrency = {
      metric: fn.metric('ConcurrentExecutions', {
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: Math.ceil(t.ConcurrencyShare * sources.reservedConcurrency),
      periods: 3,
      description: `Executions near the reservation of ${sources.reservedConcurrency}`,
    };
  }
  const action = new SnsAction(topic);
  return Object.entries(specs).map(([name, spec]) => {
    const alarm = new Alarm(scope, `${name}Alarm`, {
      alarmName: `${sources.stackName}-${name}`,
      alarmDescription: `${spec.description}. What to do: docs/operations.md, "Alarms".`,
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: spec.periods ?? 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    return alarm;
  });
};
