import { beforeAll, describe, expect, it } from 'vitest';
import {
  NAMESPACE,
  REFUSAL_CODES,
  REFUSED_BUDGETS,
  ROUTE_METRICS,
  SERVICE,
  STAGE_METRIC_NAMES,
} from '../../src/metrics/catalogue.js';
import { ROUTE_KEYS } from '../../src/protocol/routes.js';
import { type DrawnMetric, readDashboard } from './support/dashboard.js';
import { asText } from './support/intrinsics.js';
import { useSynth } from './support/synth.js';
import { onlyOf } from './support/template.js';

const synth = useSynth({ context: { stage: 'test' } });
let drawn: DrawnMetric[];
let body: ReturnType<typeof readDashboard>['body'];

beforeAll(() => {
  ({ metrics: drawn, body } = readDashboard(synth.template));
});

/** The statistics a metric is drawn with (hidden inputs of an expression as `hidden`). */
const stats = (namespace: string, name: string, dimensions: Record<string, string> = {}) =>
  drawn
    .filter(
      (m) =>
        m.namespace === namespace &&
        m.name === name &&
        Object.entries(dimensions).every(([key, value]) => m.dimensions[key] === value),
    )
    .map((m) => (m.hidden ? 'hidden' : m.stat));
const ours = (name: string) => stats(NAMESPACE, name);

describe('the dashboard', () => {
  it('is one per stage and Region, named after both', () => {
    const [, dashboard] = onlyOf(synth.template, 'AWS::CloudWatch::Dashboard');
    // Dashboards are global to the account: the same stage in two Regions has two.
    expect(asText(dashboard.Properties?.DashboardName)).toBe(
      'ServerlessChat-test-{Ref:AWS::Region}',
    );
  });

  it('shows every alarm’s state', () => {
    const alarmIds = Object.keys(synth.template.findResources('AWS::CloudWatch::Alarm'));
    const widget = body.widgets.find((w) => w.type === 'alarm');
    expect(widget?.properties.alarms?.sort()).toEqual(
      alarmIds.map((id) => `{Fn::GetAtt:[${id},Arn]}`).sort(),
    );
  });

  it('shows the function’s invocations, errors, throttles and duration', () => {
    const fn = { FunctionName: `{Ref:${synth.fnId}}` };
    for (const name of ['Invocations', 'Errors', 'Throttles']) {
      expect(stats('AWS/Lambda', name, fn)).toContain('Sum');
    }
    expect(stats('AWS/Lambda', 'Duration', fn)).toEqual(['p50', 'p99', 'Maximum']);
  });

  it('shows invocations and p99 duration of every entry of the handler’s table', () => {
    for (const route of [...ROUTE_KEYS, 'replay', 'fanout']) {
      expect(stats(NAMESPACE, 'Invocations', { route })).toEqual(['Sum']);
      expect(stats(NAMESPACE, 'Duration', { route })).toEqual(['p99']);
    }
    expect(drawn.filter((m) => m.name === 'Invocations' && m.dimensions.route)).toHaveLength(
      ROUTE_KEYS.length + 2,
    );
  });

  it('shows the fan-out’s p50 and p99, and every outcome of a post', () => {
    expect(ours('FanoutTime')).toEqual(['p50', 'p99']);
    for (const name of [
      'PostsDelivered',
      'PostsPruned',
      'PostsFailed',
      'PostsThrottled',
      'PostsUnreached',
    ]) {
      expect(ours(name)).toEqual(['Sum']);
    }
  });

  it('shows every refusal code and every budget of the catalogue', () => {
    for (const code of REFUSAL_CODES) expect(ours(`Refused.${code}`)).toEqual(['Sum']);
    for (const budget of REFUSED_BUDGETS) expect(ours(`RefusedBudget.${budget}`)).toEqual(['Sum']);
  });

  it('shows DynamoDB throttles and lost conditions beside the table’s own throttles and capacity', () => {
    const [tableId] = onlyOf(synth.template, 'AWS::DynamoDB::Table');
    const table = { TableName: `{Ref:${tableId}}` };
    expect(ours('DynamoDBThrottles')).toEqual(['Sum']);
    expect(ours('ConditionalCheckLosses')).toEqual(['Sum']);
    expect(stats('AWS/DynamoDB', 'ConsumedReadCapacityUnits', table)).toEqual(['Sum']);
    expect(stats('AWS/DynamoDB', 'ConsumedWriteCapacityUnits', table)).toEqual(['Sum']);
    const throttled = drawn.filter((m) => m.name === 'ThrottledRequests');
    expect(throttled.map((m) => m.dimensions.Operation).sort()).toEqual(
      ['BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'].sort(),
    );
    for (const m of throttled) expect(m.dimensions.TableName).toBe(table.TableName);
  });

  it('shows API Gateway’s connections, messages and errors of this API’s stage', () => {
    const [apiId] = onlyOf(synth.template, 'AWS::ApiGatewayV2::Api');
    const stage = { ApiId: `{Ref:${apiId}}`, Stage: 'test' };
    for (const name of ['ConnectCount', 'MessageCount', 'IntegrationError', 'ExecutionError']) {
      expect(stats('AWS/ApiGateway', name, stage)).toEqual(['Sum']);
    }
  });

  it('shows the failed-replays queue’s depth, the delivery rounds’ sizes and cold starts', () => {
    const [queueId] = onlyOf(synth.template, 'AWS::SQS::Queue');
    expect(
      stats('AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
        QueueName: `{Fn::GetAtt:[${queueId},QueueName]}`,
      }),
    ).toEqual(['Maximum']);
    expect(ours('BatchMessages')).toEqual(['p50', 'Maximum']);
    expect(ours('ColdStarts')).toEqual(['Sum']);
  });

  it('draws every metric of the catalogue, each route’s for every route', () => {
    for (const name of STAGE_METRIC_NAMES) expect(ours(name).length, name).toBeGreaterThan(0);
    for (const name of Object.keys(ROUTE_METRICS)) {
      for (const route of [...ROUTE_KEYS, 'replay', 'fanout']) {
        expect(stats(NAMESPACE, name, { route }).length, `${name} ${route}`).toBeGreaterThan(0);
      }
    }
  });

  it('reads the handler’s metrics with the dimensions it writes them with', () => {
    const handlers = drawn.filter((m) => m.namespace === NAMESPACE);
    expect(handlers.length).toBeGreaterThan(40);
    for (const m of handlers) {
      const { route, ...rest } = m.dimensions;
      expect(rest).toEqual({ service: SERVICE, stage: 'test' });
      expect(route !== undefined).toBe(m.name in ROUTE_METRICS);
    }
  });
});
