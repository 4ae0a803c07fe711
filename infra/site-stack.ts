import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';
import { acknowledgeSiteFindings } from './acknowledgements.js';
import type { ChatSettings } from './settings.js';
import { createClientSite } from './site.js';

export interface SiteStackProps extends StackProps {
  settings: ChatSettings & { siteStackName: string };
  /** The chat API's URL (`ChatStack.webSocketUrl`), written into the page's `config.json`. */
  webSocketUrl: string;
}

/**
 * The browser client: `client.html` on S3 behind CloudFront, pointed at the chat API. Its own
 * stack, deployed after the API's: if CloudFront refuses (a new account must be verified before
 * it may create CloudFront resources), only this stack rolls back. It tells the function its
 * origin through an SSM parameter, so the function never depends on the distribution.
 */
export class SiteStack extends Stack {
  constructor(scope: Construct, id: string, props: SiteStackProps) {
    const { settings, webSocketUrl, ...stackProps } = props;
    super(scope, id, { ...stackProps, stackName: settings.siteStackName });

    const site = createClientSite(this, {
      clientPage: fileURLToPath(new URL('../client.html', import.meta.url)),
      webSocketUrl,
    });
    acknowledgeSiteFindings(site);
    const origin = `https://${site.distribution.distributionDomainName}`;
    new StringParameter(this, 'SiteOrigins', {
      parameterName: settings.siteOriginsParameter,
      stringValue: origin,
      description: `Browser origins the ${settings.stackName} function lets connect: this site's`,
    });
    new CfnOutput(this, 'ClientUrl', { value: `${origin}/`, description: 'The browser client' });
  }
}
