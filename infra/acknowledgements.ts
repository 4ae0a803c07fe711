import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import type { IConstruct } from 'constructs';
import { CONNECTION_METHODS } from './api.js';

/**
 * The AwsSolutions (cdk-nag) findings this stack accepts, each with its reason. `test/infra`
 * runs the pack and fails on any finding not acknowledged here or beside its resource.
 */

/** The logical id of an L2 construct's resource, as cdk-nag writes it inside a finding id. */
const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/**
 * The API's routes carry no authorizer, and the function may post to (and close) any of its
 * connections.
 */
export const acknowledgeApiFindings = (api: WebSocketApi, stage: WebSocketStage, fn: IFunction) => {
  Validations.of(api).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'A WebSocket API authorizes once, on $connect; the handler does it (shared secret or JWT ' +
      'from SSM, Origin) and every later route rides that connection. Open by default: a demo chat.',
  });
  const role = fn.role;
  if (!role) return;
  for (const method of CONNECTION_METHODS) {
    Validations.of(role).acknowledge({
      id:
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:' +
        `<AWS::AccountId>:<${logicalId(api)}>/${stage.stageName}/${method}/@connections/*]`,
      reason:
        'Connection ids are made by API Gateway at run time: the grant is this API, this stage, ' +
        'POST (send) and DELETE (close a connection the store forgot) only.',
    });
  }
};

/** The client site: one static page, public by design, behind CloudFront's default domain. */
export const acknowledgeSiteFindings = (site: { bucket: IBucket; distribution: Distribution }) => {
  Validations.of(site.bucket).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'Private bucket read only by CloudFront (origin access control); its objects are rebuilt ' +
      'from the repository on each deploy. Its access logs would record only CloudFront.',
  });
  const cloudFront = Validations.of(site.distribution);
  cloudFront.acknowledge({
    id: 'AwsSolutions-CFR1',
    reason: 'A public chat page: no country is excluded.',
  });
  cloudFront.acknowledge({
    id: 'AwsSolutions-CFR2',
    reason:
      'One static page with no dynamic origin; a web ACL costs more than the site. WAF cannot ' +
      'protect the WebSocket API, which the handler rate-limits itself.',
  });
  cloudFront.acknowledge({
    id: 'AwsSolutions-CFR3',
    reason:
      'Viewer logs of a static page would hold only IPs of people loading it; the chat itself ' +
      'is logged by the API stage (access logs) and the function.',
  });
  cloudFront.acknowledge({
    id: 'AwsSolutions-CFR4',
    reason:
      'The default *.cloudfront.net certificate fixes the security policy at TLSv1; a custom ' +
      'domain with its own certificate can require TLSv1.2_2021.',
  });
  acknowledgeDeploymentHandler(site.bucket);
};

/** CDK's own BucketDeployment handler: its runtime and policy are CDK's, not ours. */
const acknowledgeDeploymentHandler = (bucket: IBucket) => {
  const deployment = Stack.of(bucket)
    .node.findAll()
    .find((c): c is BucketDeployment => c instanceof BucketDeployment);
  const handler = deployment?.handlerRole.node.scope;
  if (!handler) return;
  const reason =
    'CDK-managed BucketDeployment handler (copies client.html and config.json from the CDK ' +
    'asset bucket into the site bucket, and removes them on destroy); CDK chooses its runtime ' +
    'and policy.';
  const findings = [
    'AwsSolutions-L1',
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    ...['s3:Abort*', 's3:DeleteObject*', 's3:GetBucket*', 's3:GetObject*', 's3:List*'].map(
      (action) => `AwsSolutions-IAM5[Action::${action}]`,
    ),
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]',
    `AwsSolutions-IAM5[Resource::<${logicalId(bucket)}.Arn>/*]`,
  ];
  for (const id of findings) Validations.of(handler).acknowledge({ id, reason });
};
