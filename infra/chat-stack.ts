import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { createAccessLogs, setApiGatewayLogsRole } from './access-logs.js';
import { acknowledgeApiFindings, acknowledgeSiteFindings } from './acknowledgements.js';
import { createChatApi, postToConnectionsArn, routeAllTo } from './api.js';
import { connectAuthEnvironment, grantConnectSecrets } from './connect-secrets.js';
import { configureReplayInvokes } from './failed-replays.js';
import { createChatFunction } from './function.js';
import type { ChatSettings } from './settings.js';
import { createClientSite } from './site.js';
import { createChatTable } from './table.js';
import { grantTableAccess } from './table-access.js';

export interface ChatStackProps extends StackProps {
  settings: ChatSettings;
  /** The page to deploy; the repository's `client.html` unless a test says otherwise. */
  clientPage?: string;
}

/** One deployment of the chat: table, function, WebSocket API and the browser client. */
export class ChatStack extends Stack {
  constructor(scope: Construct, id: string, props: ChatStackProps) {
    const { settings, clientPage, ...stackProps } = props;
    super(scope, id, { ...stackProps, stackName: settings.stackName });

    const table = createChatTable(this, settings.removalPolicy);
    const { api, stage } = createChatApi(
      this,
      settings.stage,
      createAccessLogs(this, settings.removalPolicy),
    );
    if (settings.apiLogsRole === 'create') stage.node.addDependency(setApiGatewayLogsRole(this));
    const site = createClientSite(this, {
      clientPage: clientPage ?? fileURLToPath(new URL('../client.html', import.meta.url)),
      webSocketUrl: stage.url,
    });
    acknowledgeSiteFindings(site);
    const fn = createChatFunction(this, {
      functionName: settings.functionName,
      removalPolicy: settings.removalPolicy,
      reservedConcurrency: settings.reservedConcurrency,
      environment: {
        TABLE_NAME: table.tableName,
        CALLBACK_URL: stage.callbackUrl,
        // Browsers on other sites may not open sockets here; wscat and servers send no Origin.
        ALLOWED_ORIGINS: `https://${site.distribution.distributionDomainName}`,
        ...connectAuthEnvironment(settings.connectAuth),
      },
    });
    routeAllTo(api, fn);
    configureReplayInvokes(this, fn);
    grantTableAccess(table, fn);
    grantConnectSecrets(this, fn, settings.connectAuth);
    // The handler only ever posts to connections (no GET or DELETE on @connections).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: [postToConnectionsArn(api, stage)],
      }),
    );
    acknowledgeApiFindings(api, stage, fn);

    new CfnOutput(this, 'WebSocketUrl', {
      value: stage.url,
      description: 'wscat -c "<this>?room=general&name=alice"',
    });
    new CfnOutput(this, 'ClientUrl', {
      value: `https://${site.distribution.distributionDomainName}/`,
      description: 'The browser client',
    });
  }
}
