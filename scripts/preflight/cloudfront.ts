import { type CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import { described, type Finding, isDenied } from './finding.js';

/**
 * Warns when the site's CloudFront may be refused. AWS offers no call that says whether an
 * account is verified; one with no distribution at all is likely new, and new accounts are the
 * ones refused. The chat API deploys first either way, so this never stops the deploy.
 */
export const checkCloudFront = async (
  cloudFront: CloudFrontClient,
  { site, deployWith }: { site: boolean; deployWith: (key: string, value: string) => string },
): Promise<Finding> => {
  if (!site) return { level: 'ok', text: 'CloudFront: not used (-c site=off)' };
  let count: number;
  try {
    const answer = await cloudFront.send(new ListDistributionsCommand({ MaxItems: 1 }));
    count = answer.DistributionList?.Quantity ?? 0;
  } catch (error) {
    const why = isDenied(error) ? 'these credentials may not list distributions' : 'it failed';
    return { level: 'warn', text: `CloudFront: check skipped, ${why} (${described(error)})` };
  }
  if (count > 0) return { level: 'ok', text: 'CloudFront: the account already has distributions' };
  return {
    level: 'warn',
    text: [
      'CloudFront: the account has no distribution yet, so it may be new, and CloudFront may refuse',
      'the site ("Your account must be verified before you can add new CloudFront resources").',
      'The chat API deploys first and works without the site; if CloudFront refuses, ask AWS Support',
      `to verify the account. To leave the site out: ${deployWith('site', 'off')}`,
    ].join('\n'),
  };
};
