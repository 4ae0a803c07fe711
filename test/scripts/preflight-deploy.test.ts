import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ENDPOINT_VARIABLES,
  DUMMY_CREDENTIALS,
  useFakeAwsAccount,
} from '../support/fake-aws-account.js';

const fake = useFakeAwsAccount();
const CDK_BANNER = '▶ cdk';

/**
 * `npm run deploy -- <args>` as a process against the fake account. Should it reach a cdk step,
 * its process group is killed at the banner, before cdk does anything.
 */
const deploy = async (...args: string[]) => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...DUMMY_CREDENTIALS, AWS_REGION: 'eu-west-1' };
  for (const key of Object.keys(env)) if (/^CHAT_|^AWS_PROFILE$/.test(key)) delete env[key];
  for (const variable of ACCOUNT_ENDPOINT_VARIABLES) env[variable] = fake.url;
  // Any other AWS call (cdk's own, should one start) reaches the fake too, never AWS.
  env.AWS_ENDPOINT_URL = fake.url;
  const child = spawn(
    process.execPath,
    [resolve('node_modules/tsx/dist/cli.mjs'), 'scripts/deploy.ts', ...args],
    { env, detached: true },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    if (stdout.includes(CDK_BANNER) && child.pid) process.kill(-child.pid, 'SIGKILL');
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
};

describe('npm run deploy', () => {
  it('stops a reservation that does not fit before any cdk step, exiting 1 with the fix', async () => {
    fake.concurrencyQuota = 10;
    const { code, stdout, stderr } = await deploy('-c', 'stage=alice');
    expect(stdout).not.toContain(CDK_BANNER);
    expect(code).toBe(1);
    expect(stderr).toContain('✓ account 123456789012 as arn:aws:iam::123456789012:user/alice');
    expect(stderr).toContain('✓ Region eu-west-1 (from AWS_REGION)');
    expect(stderr).toContain(
      '✗ Lambda concurrency: reserving 100 would leave 0 of the quota of 10',
    );
    expect(stderr).toContain('npm run deploy -- -c stage=alice -c reservedConcurrency=none');
    expect(stderr).toContain('Stopped before CloudFormation was touched');
    expect(fake.operations).toContain('GetFunctionConcurrency');
  });

  it('goes straight to cdk with --no-preflight, and keeps the flag from cdk', async () => {
    fake.concurrencyQuota = 10;
    const { stdout } = await deploy('--no-preflight', '-c', 'stage=alice');
    expect(stdout).toContain(`${CDK_BANNER} deploy ServerlessChat-alice --exclusively`);
    expect(stdout).not.toContain('--no-preflight');
    expect(stdout).not.toContain('Preflight');
    expect(fake.operations).not.toContain('GetAccountSettings');
  });
});
