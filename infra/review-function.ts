import { ArnFormat, Stack } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { ReviewDeploySettings } from './review-settings.js';

/** The chat function's `REVIEW_*` environment (see `src/outbound/review.ts`): only what is set. */
export const reviewEnvironment = (review: ReviewDeploySettings | undefined) => {
  const environment: Record<string, string> = {};
  if (!review) return environment;
  environment.REVIEW_FUNCTION = review.functionName;
  if (review.timeoutMs !== undefined) environment.REVIEW_TIMEOUT_MS = String(review.timeoutMs);
  if (review.fallback !== undefined) environment.REVIEW_FALLBACK = review.fallback;
  return environment;
};

/** The review function's ARN: as given, or built from its name in this stack's account and Region. */
export const reviewFunctionArn = (scope: Construct, functionName: string) =>
  functionName.startsWith('arn:')
    ? functionName
    : Stack.of(scope).formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });

/** Lets the chat function invoke the review function, and exactly that one. */
export const grantReviewInvoke = (
  scope: Construct,
  grantee: IGrantable,
  review: ReviewDeploySettings | undefined,
) => {
  if (!review) return;
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['lambda:InvokeFunction'],
      resources: [reviewFunctionArn(scope, review.functionName)],
    }),
  );
};
