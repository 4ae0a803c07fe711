import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { createChatApi, postToConnectionsArn, routeAllTo } from './api.js';
import { createChatFunction } from './function.js';
import type { ChatSettings } from './settings.js';
import { createClientSite } from './site.js';
import { createChatTable } from './table.js';

export interface ChatStackProps extends StackProps {
  settings: ChatSettings;
  /** Where `client.html` lives; the repository's `public/` unless a test says otherwise. */
  publicDir?: string;
}

/** One deployment of the chat: table, function, WebSocket API and the browser client. */
export class ChatStack extends Stack {
  constructor(scope: Construct, id: string, props: ChatStackProps) {
    const { settings, publicDir, ...stackProps } = props;
    super(scope, id, { ...stackProps, stackName: settings.stackName });

    const table = createChatTable(this, settings.removalPolicy);
    const { api, stage } = createChatApi(this, settings.stage);
    const site = createClientSite(this, {
      publicDir: publicDir ?? fileURLToPath(new URL('../public', import.meta.url)),
      webSocketUrl: stage.url,
    });
    const fn = createChatFunction(this, {
      functionName: settings.functionName,
      removalPolicy: settings.removalPolicy,
      environment: {
        TABLE_NAME: table.tableName,
        CALLBACK_URL: stage.callbackUrl,
        // Browsers on other sites may not open sockets here; wscat and servers send no Origin.
        ALLOWED_ORIGINS: `https://${site.distribution.distributionDomainName}`,
      },
    });
    routeAllTo(api, fn);
    table.grantReadWriteData(fn);
    // The handler only ever posts to connections (no GET or DELETE on @connections).
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['execute-api:ManageConnections'],
        resources: [postToConnectionsArn(api, stage)],
      }),
    );

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
