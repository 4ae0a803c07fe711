import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { described, type Finding } from './finding.js';

/** The variables cdk reads a Region from, in its order, before the profile's config. */
const REGION_VARIABLES = [
  'AWS_REGION',
  'AMAZON_REGION',
  'AWS_DEFAULT_REGION',
  'AMAZON_DEFAULT_REGION',
];

/** The Region the deploy goes to, and where that came from. */
export interface RegionChoice {
  region: string;
  source: string;
}

/**
 * The Region as cdk resolves it: its environment variables, then the profile's config (read by
 * the SDK, `fromConfig`). Where cdk would go on to guess (EC2 metadata, then us-east-1), this
 * answers undefined, so that no one deploys to a Region they did not choose.
 */
export const resolveRegion = async (
  env: NodeJS.ProcessEnv,
  profile: string,
  fromConfig: () => Promise<string>,
): Promise<RegionChoice | undefined> => {
  for (const variable of REGION_VARIABLES) {
    const region = env[variable];
    if (region) return { region, source: variable };
  }
  try {
    return { region: await fromConfig(), source: `profile "${profile}" in the AWS config` };
  } catch {
    return undefined;
  }
};

/** The finding when no Region is set, with the fix. */
export const noRegion = (profile: string): Finding => ({
  level: 'stop',
  text: [
    `Region: none set (no AWS_REGION, none in profile "${profile}"); cdk would guess us-east-1.`,
    'Fix: export AWS_REGION=eu-west-1 (your Region), or',
    `  aws configure set region eu-west-1${profile === 'default' ? '' : ` --profile ${profile}`}`,
  ].join('\n'),
});

/** Who the credentials are: stops when there are none, or AWS does not accept them. */
export const checkAccount = async (sts: STSClient, profile: string): Promise<Finding> => {
  try {
    const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
    return { level: 'ok', text: `account ${Account} as ${Arn}` };
  } catch (error) {
    return {
      level: 'stop',
      text: [
        `credentials: none that work (${described(error)}).`,
        'Fix: aws configure, or aws sso login --profile NAME then npm run deploy -- --profile NAME,',
        `  or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN); profile now: "${profile}"`,
      ].join('\n'),
    };
  }
};
