import { beforeAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS } from '../../infra/alarms.js';
import { NAMESPACE, SERVICE } from '../../src/metrics/catalogue.js';
import { synthChat, useSynth } from './support/synth.js';
import { onlyOf, type Resource } from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });
let topicId: string;

beforeAll(() => {
  [topicId] = onlyOf(synth.template, 'AWS::SNS::Topic');
});

const alarms = (template = synth.template) =>
  Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
const alarm = (name: string, template = synth.template) =>
  alarms(template).find((a) => a.Properties?.AlarmName === `ServerlessChat-test-${name}`)
    ?.Properties as Record<string, unknown>;
const ourDimensions = [
  { Name: 'service', Value: SERVICE },
  { Name: 'stage', Value: 'test' },
];

describe('the alarms', () => {
  it('are at least eight, each sending its alarm and its return to OK to the one topic', () => {
    expect(alarms().length).toBeGreaterThanOrEqual(8);
    for (const { Properties } of alarms()) {
      expect(Properties?.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(Properties?.OKActions).toEqual([{ Ref: topicId }]);
      expect(Properties?.TreatMissingData).toBe('notBreaching');
      expect(Properties?.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    }
  });

  it('fire on the function’s errors and throttles', () => {
    for (const [name, metric] of [
      ['FunctionErrors', 'Errors'],
      ['FunctionThrottles', 'Throttles'],
    ] as const) {
      expect(alarm(name)).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metric,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: synth.fnId } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: ALARM_THRESHOLDS[name],
      });
    }
  });

  it('fire on API Gateway’s integration and execution errors of this API’s stage', () => {
    const [apiId] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Api');
    for (const [name, metric] of [
      ['ApiIntegrationErrors', 'IntegrationError'],
      ['ApiExecutionErrors', 'ExecutionError'],
    ] as const) {
      expect(alarm(name)).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: metric,
        Dimensions: [
          { Name: 'ApiId', Value: { Ref: apiId } },
          { Name: 'Stage', Value: 'test' },
        ],
        Statistic: 'Sum',
        Threshold: ALARM_THRESHOLDS[name],
      });
    }
  });

  it('fire when the fan-out’s p99 stays over 3 s for three periods running', () => {
    expect(ALARM_THRESHOLDS.FanoutP99).toBe(3_000);
    expect(alarm('FanoutP99')).toMatchObject({
      Namespace: NAMESPACE,
      MetricName: 'FanoutTime',
      Dimensions: ourDimensions,
      ExtendedStatistic: 'p99',
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 3_000,
    });
  });

  it('fire on the share of posts that failed, of those delivered or failed, for three periods', () => {
    const ratio = alarm('PostFailureRatio');
    expect(ratio).toMatchObject({
      Threshold: ALARM_THRESHOLDS.PostFailureRatio,
      EvaluationPeriods: 3,
    });
    const metrics = ratio.Metrics as {
      Id: string;
      Expression?: string;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown }; Stat: string };
    }[];
    const expression = metrics.find((m) => m.Expression) as { Expression: string };
    const byId = Object.fromEntries(
      metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]),
    );
    const named = expression.Expression.replace(/\w+/g, (id) => byId[id]?.Metric.MetricName ?? id);
    expect(named).toBe('PostsFailed / (PostsDelivered + PostsFailed)');
    for (const stat of Object.values(byId)) {
      expect(stat).toMatchObject({ Stat: 'Sum', Metric: { Dimensions: ourDimensions } });
    }
  });

  it('fire on DynamoDB throttles the handler counted, in two periods running', () => {
    expect(alarm('DynamoDBThrottles')).toMatchObject({
      Namespace: NAMESPACE,
      MetricName: 'DynamoDBThrottles',
      Dimensions: ourDimensions,
      Statistic: 'Sum',
      EvaluationPeriods: 2,
      Threshold: ALARM_THRESHOLDS.DynamoDBThrottles,
    });
  });

  it('fire as soon as the failed-replays queue holds a record', () => {
    const [queueId] = onlyOf(synth.template, 'AWS::SQS::Queue');
    expect(alarm('FailedReplays')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Statistic: 'Maximum',
      Threshold: 1,
    });
  });

  it('fire when executions reach 80 % of the reservation for three minutes', () => {
    expect(alarm('Concurrency')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'ConcurrentExecutions',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: synth.fnId } }],
      Statistic: 'Maximum',
      Period: 60,
      EvaluationPeriods: 3,
      Threshold: 80,
    });
  });

  it('follow the reservation set, and watch no concurrency when none is reserved', () => {
    const small = synthChat({ context: { stage: 'test', reservedConcurrency: '25' } });
    expect(alarm('Concurrency', small.template).Threshold).toBe(20);
    small.cleanup();
    const none = synthChat({ context: { stage: 'test', reservedConcurrency: 'none' } });
    expect(alarm('Concurrency', none.template)).toBeUndefined();
    expect(alarms(none.template)).toHaveLength(alarms().length - 1);
    none.cleanup();
  });
});
