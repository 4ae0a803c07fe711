import { Duration } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Metric, type MetricOptions } from 'aws-cdk-lib/aws-cloudwatch';
import {
  NAMESPACE,
  type RouteMetric,
  SERVICE,
  type StageMetric,
} from '../src/metrics/catalogue.js';
import { ROUTE_KEYS } from '../src/protocol/routes.js';

/**
 * The `route` dimension's values: every entry of the handler's table (`src/router/table.ts`),
 * that is the API's route keys and the two payloads the function sends itself.
 */
export const METRIC_ROUTES = [...ROUTE_KEYS, 'replay', 'fanout'] as const;

/** Every graph and alarm reads five-minute periods unless it says otherwise. */
export const PERIOD = Duration.minutes(5);

/** One of the handler's stage-level metrics (dimensions `service` and `stage`), summed. */
export const stageMetric = (stage: string, name: StageMetric, options: MetricOptions = {}) =>
  new Metric({
    namespace: NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE, stage },
    statistic: 'Sum',
    period: PERIOD,
    ...options,
  });

/** One route's metric (dimensions `service`, `stage`, `route`), labelled with the route. */
export const routeMetric = (
  stage: string,
  name: RouteMetric,
  route: string,
  options: MetricOptions = {},
) =>
  new Metric({
    namespace: NAMESPACE,
    metricName: name,
    dimensionsMap: { service: SERVICE, stage, route },
    statistic: 'Sum',
    period: PERIOD,
    label: route,
    ...options,
  });

/** One of API Gateway's own metrics of this API's stage, summed. */
export const apiMetric = (api: WebSocketApi, stage: WebSocketStage, name: string) =>
  new Metric({
    namespace: 'AWS/ApiGateway',
    metricName: name,
    dimensionsMap: { ApiId: api.apiId, Stage: stage.stageName },
    statistic: 'Sum',
    period: PERIOD,
  });
