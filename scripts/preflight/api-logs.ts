import { type APIGatewayClient, GetAccountCommand } from '@aws-sdk/client-api-gateway';
import type { ApiLogsRole } from '../../infra/settings.js';
import { described, type Finding } from './finding.js';

export interface ApiLogsPlan {
  mode: ApiLogsRole;
  /** The chat API's stack: the role it creates is named after it. */
  stackName: string;
  deployWith: (key: string, value: string) => string;
}

/**
 * Checks API Gateway's account-wide CloudWatch Logs role (one per Region) against who is to set
 * it: the stage's access logging fails to deploy without one.
 */
export const checkApiLogsRole = async (
  apiGateway: APIGatewayClient,
  { mode, stackName, deployWith }: ApiLogsPlan,
): Promise<Finding> => {
  let role: string | undefined;
  try {
    role = (await apiGateway.send(new GetAccountCommand({}))).cloudwatchRoleArn || undefined;
  } catch (error) {
    return { level: 'warn', text: `API Gateway logs role: check skipped (${described(error)})` };
  }
  if (mode === 'existing') {
    if (role) return { level: 'ok', text: `API Gateway logs role: kept as it is (${role})` };
    return {
      level: 'stop',
      text: [
        'API Gateway logs role: this Region has none, and -c apiLogsRole=existing leaves it to someone',
        'else; the stage would fail with "CloudWatch Logs role ARN must be set in account settings".',
        `Fix: ${deployWith('apiLogsRole', 'create')}   (this stack sets one)`,
      ].join('\n'),
    };
  }
  if (!role) return { level: 'ok', text: 'API Gateway logs role: none yet; this stack sets one' };
  // CloudFormation names the role it creates `<stack>-<logical id>-<suffix>`.
  if (role.split('/').at(-1)?.startsWith(`${stackName}-`)) {
    return { level: 'ok', text: `API Gateway logs role: this stack's (${role})` };
  }
  return {
    level: 'warn',
    text: [
      `API Gateway logs role: the Region's is ${role}, not this stack's; the deploy replaces it`,
      "with this stack's for every API in the Region (the old role is not deleted).",
      `To keep it: ${deployWith('apiLogsRole', 'existing')}`,
    ].join('\n'),
  };
};
