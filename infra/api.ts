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

/** The `@connections` posts of one stage of one API: all the function needs to reach clients. */
export const postToConnectionsArn = (api: WebSocketApi, stage: WebSocketStage) =>
  Stack.of(api).formatArn({
    service: 'execute-api',
    resource: api.apiId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    resourceName: `${stage.stageName}/POST/@connections/*`,
  });
