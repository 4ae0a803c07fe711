import { ArnFormat, Stack } from 'aws-cdk-lib';
import {
  type IAccessLogSettings,
  WebSocketApi,
  WebSocketStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { ROUTE_KEYS } from '../src/protocol/routes.js';

/**
 * Stage throttling for client-to-server messages (all routes). API Gateway cannot throttle per
 * connection; the handler's own rate limit does that. Both sit below the account's 10,000 rps.
 */
export const STAGE_THROTTLE = { rateLimit: 1_000, burstLimit: 500 } as const;

/** The WebSocket API and its auto-deployed, throttled, access-logged stage. */
export const createChatApi = (
  scope: Construct,
  stageName: string,
  accessLogSettings: IAccessLogSettings,
) => {
  const api = new WebSocketApi(scope, 'Api', {
    apiName: `${Stack.of(scope).stackName}-ws`,
    routeSelectionExpression: '$request.body.action',
  });
  const stage = new WebSocketStage(scope, 'Stage', {
    webSocketApi: api,
    stageName,
    autoDeploy: true,
    throttle: STAGE_THROTTLE,
    accessLogSettings,
  });
  return { api, stage };
};

/** Integrates every route with the one function through a single integration. */
export const routeAllTo = (api: WebSocketApi, fn: IFunction) => {
  const integration = new WebSocketLambdaIntegration('Router', fn);
  for (const routeKey of ROUTE_KEYS) {
    api.addRoute(routeKey, { integration });
  }
};

/**
 * What the function does to the `@connections` of one stage of one API: POST (send a frame) and
 * DELETE (close a connection the store no longer knows, so its client reconnects).
 */
export const CONNECTION_METHODS = ['POST', 'DELETE'] as const;

/** The `@connections` requests of one stage of one API the function may send, one ARN a method. */
export const manageConnectionsArns = (api: WebSocketApi, stage: WebSocketStage) =>
  CONNECTION_METHODS.map((method) =>
    Stack.of(api).formatArn({
      service: 'execute-api',
      resource: api.apiId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      resourceName: `${stage.stageName}/${method}/@connections/*`,
    }),
  );
