import { CfnResource, type Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** The logical id of the only resource of a type; throws unless there is exactly one. */
export const onlyOf = (template: Template, type: string): [string, Resource] => {
  const found = Object.entries(template.findResources(type)) as [string, Resource][];
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
};

/**
 * CDK marks the handlers it adds on its own (BucketDeployment's singleton, auto-delete and
 * log-retention providers) with `aws:cdk:is-custom-resource-handler-*` construct metadata.
 */
const isCdkHandler = (construct: IConstruct): boolean =>
  construct.node.scopes.some((scope) =>
    scope.node.metadata.some((entry) =>
      entry.type.startsWith('aws:cdk:is-custom-resource-handler-'),
    ),
  );

/** Logical ids of the Lambda functions this app deploys, CDK's own handlers left out. */
export const applicationFunctions = (stack: Stack) =>
  stack.node
    .findAll()
    .filter((c): c is CfnResource => CfnResource.isCfnResource(c))
    .filter((c) => c.cfnResourceType === 'AWS::Lambda::Function' && !isCdkHandler(c))
    .map((c) => stack.getLogicalId(c));

/** Logical ids of every Lambda function in the template, CDK's own included. */
export const allFunctions = (template: Template) =>
  Object.keys(template.findResources('AWS::Lambda::Function'));

/** One IAM statement as the template holds it. */
export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
}

/** Every statement of every IAM policy, role inline policy and resource policy in the template. */
export const allStatements = (template: Template): Statement[] => {
  const documents: unknown[] = [];
  for (const resource of Object.values(template.toJSON().Resources as Record<string, Resource>)) {
    const props = resource.Properties ?? {};
    if ('PolicyDocument' in props) documents.push(props.PolicyDocument);
    if ('Policies' in props && Array.isArray(props.Policies)) {
      for (const policy of props.Policies as { PolicyDocument: unknown }[]) {
        documents.push(policy.PolicyDocument);
      }
    }
  }
  return documents.flatMap((doc) => (doc as { Statement: Statement[] }).Statement);
};

/** A statement's actions as a list, whether it names one or several. */
export const actionsOf = (statement: Statement) =>
  Array.isArray(statement.Action) ? statement.Action : [statement.Action];

/** An SSM parameter's ARN as the stacks write it, from its `/full/path` name. */
export const parameterArn = (path: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':ssm:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:parameter${path}`,
    ],
  ],
});
