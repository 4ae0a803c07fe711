import type { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

/**
 * What cdk-nag's AwsSolutions pack still reports on a synthesized stack once the stack's own
 * acknowledgements are applied: errors and warnings alike, as `severity rule at path` lines.
 */
export const unacknowledgedFindings = (stack: Stack) =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.flatMap((violation) =>
      violation.violatingResources.map(
        (resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath}`,
      ),
    );
