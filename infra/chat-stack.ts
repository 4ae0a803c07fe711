import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { createAccessLogs, setApiGatewayLogsRole } from './access-logs.js';
import { acknowledgeApiFindings } from './acknowledgements.js';
import { createChatApi, manageConnectionsArns, routeAllTo } from './api.js';
import { connectAuthEnvironment, grantParameterReads } from './connect-secrets.js';
import { configureReplayInvokes } from './failed-replays.js';
import { createChatFunction } from './function.js';
import { createObservability } from './observability.js';
import { grantReviewInvoke, reviewEnvironment } from './review-function.js';
import type { ChatSettings } from './settings.js';
import { createChatTable } from './table.js';
import { grantTableAccess } from './table-access.js';

export interface ChatStackProps extends StackProps {
  settings: ChatSettings;
}

/**
 * One deployment of the chat API: table, function and WebSocket API. It has nothing of the
 * browser site (`site-stack.ts`), so an account that may not create CloudFront resources yet
 * still gets a working chat, and the site can fail, come later or be left out.
 */
export class ChatStack extends Stack {
  /** `wss://<api id>.execute-api.<region>.amazonaws.com/<stage>`: what clients connect to. */
  readonly webSocketUrl: string;

  constructor(scope: Construct, id: string, props: ChatStackProps) {
    const { settings, ...stackProps } = props;
    super(scope, id, { ...stackProps, stackName: settings.stackName });

    const table = createChatTable(this, settings.removalPolicy);
    const { api, stage } = createChatApi(
      this,
      settings.stage,
      createAccessLogs(this, settings.removalPolicy),
    );
    if (settings.apiLogsRole === 'create') stage.node.addDependency(setApiGatewayLogsRole(this));
    const fn = createChatFunction(this, {
      functionName: settings.functionName,
      removalPolicy: settings.removalPolicy,
      reservedConcurrency: settings.reservedConcurrency,
      environment: {
        TABLE_NAME: table.tableName,
        CALLBACK_URL: stage.callbackUrl,
        // The `stage` dimension of every metric the handler writes.
        STAGE: settings.stage,
        // Browsers on other sites may not open sockets here; wscat and servers send no Origin.
        // The site's own origin is read from the parameter its stack writes, when it exists.
        ...(settings.allowedOrigins.length > 0
          ? { ALLOWED_ORIGINS: settings.allowedOrigins.join(',') }
          : {}),
        ALLOWED_ORIGINS_PARAMETER: settings.siteOriginsParameter,
        ...connectAuthEnvironment(settings.connectAuth),
        ...reviewEnvironment(settings.review),
      },
    });
    routeAllTo(api, fn);
    const failedReplays = configureReplayInvokes(this, fn);
    grantTableAccess(table, fn);
    grantReviewInvoke(this, fn, settings.review);
    grantParameterReads(this, fn, [
      settings.siteOriginsParameter,
      settings.connectAuth.secretParameter,
      settings.connectAuth.jwtSecretParameter,
      settings.connectAuth.pepperParameter,
    ]);
    // The handler posts to connections and closes the ones the store forgot (no GET).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: manageConnectionsArns(api, stage),
      }),
    );
    acknowledgeApiFindings(api, stage, fn);
    createObservability(this, {
      stage: settings.stage,
      stackName: settings.stackName,
      fn,
      table,
      api,
      apiStage: stage,
      failedReplays,
      reservedConcurrency: settings.reservedConcurrency,
      alarmEmail: settings.alarmEmail,
    });

    this.webSocketUrl = stage.url;
    new CfnOutput(this, 'WebSocketUrl', {
      value: stage.url,
      description: 'wscat -c "<this>?room=general&name=alice"',
    });
  }
}
