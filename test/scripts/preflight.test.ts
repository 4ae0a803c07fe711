import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../scripts/preflight/finding.js';
import {
  preflight,
  preflightReport,
  preflightSkipped,
  preflightStops,
} from '../../scripts/preflight/index.js';
import { useFakeAwsAccount } from '../support/fake-aws-account.js';

const fake = useFakeAwsAccount();
const FUNCTION = 'ServerlessChat-dev-router';

beforeAll(() => {
  // Profiles the SDK reads as it would ~/.aws/config: one with a Region, one without.
  const dir = mkdtempSync(join(tmpdir(), 'preflight-'));
  const keys = 'aws_access_key_id = fake\naws_secret_access_key = fake\n';
  writeFileSync(
    join(dir, 'config'),
    `[profile work]\nregion = sa-east-1\n${keys}[profile bare]\n${keys}`,
  );
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_REGION', undefined);
});
// Unit files share a process: the next one must not inherit these profiles.
afterAll(() => vi.unstubAllEnvs());

/** The preflight of `npm run deploy -- <args>` in eu-west-1. */
const run = (...args: string[]) => preflight(args, { AWS_REGION: 'eu-west-1' });
const about = (findings: Finding[], subject: string) =>
  findings.find((finding) => finding.text.startsWith(subject));

describe('the deploy preflight: account and Region', () => {
  it('names the account, the caller and the Region, and where the Region came from', async () => {
    expect((await run()).slice(0, 2)).toEqual([
      { level: 'ok', text: 'account 123456789012 as arn:aws:iam::123456789012:user/alice' },
      { level: 'ok', text: 'Region eu-west-1 (from AWS_REGION)' },
    ]);
    const viaDefault = await preflight([], { AWS_DEFAULT_REGION: 'ap-southeast-7' });
    expect(viaDefault[1]?.text).toBe('Region ap-southeast-7 (from AWS_DEFAULT_REGION)');
  });

  it('takes the Region and credentials of the profile cdk is given', async () => {
    const findings = await preflight(['--profile', 'work'], {});
    expect(findings[0]?.level).toBe('ok');
    expect(findings[1]?.text).toBe('Region sa-east-1 (from profile "work" in the AWS config)');
  });

  it('stops without a Region, before asking AWS anything, and says how to set one', async () => {
    const findings = await preflight(['--profile=bare'], {});
    expect(findings).toEqual([
      { level: 'stop', text: expect.stringContaining('Region: none set') },
    ]);
    expect(findings[0]?.text).toContain('aws configure set region eu-west-1 --profile bare');
    expect(fake.operations).toEqual([]);
  });

  it('stops when AWS refuses the credentials, before any other check', async () => {
    fake.denied.add('GetCallerIdentity');
    const findings = await run();
    expect(findings[0]).toEqual({ level: 'stop', text: expect.stringContaining('AccessDenied') });
    expect(findings[0]?.text).toContain('aws sso login --profile NAME');
    expect(preflightStops(findings)).toBe(true);
    expect(fake.operations).toEqual(['GetCallerIdentity']);
  });
});

describe('the deploy preflight: Lambda concurrency', () => {
  it('lets the reservation through when it leaves 100 unreserved', async () => {
    fake.reservations.set('other', 800);
    const findings = await run();
    expect(about(findings, 'Lambda')).toEqual({
      level: 'ok',
      text: 'Lambda concurrency: reserving 100 leaves 100 of the quota of 1000 unreserved',
    });
    expect(preflightStops(findings)).toBe(false);
  });

  it('stops a reservation that does not fit, with the largest that does, none, and the quota to ask for', async () => {
    fake.reservations.set('other', 850);
    const findings = await run();
    expect(about(findings, 'Lambda')).toEqual({
      level: 'stop',
      text: [
        'Lambda concurrency: reserving 100 would leave 50 of the quota of 1000 unreserved; Lambda refuses any reservation that leaves fewer than 100.',
        'Fix, one of:',
        '  npm run deploy -- -c reservedConcurrency=50   (the most that fits)',
        '  npm run deploy -- -c reservedConcurrency=none   (no reservation: no ceiling on the function either)',
        '  ask for a quota of at least 1050 (Service Quotas, AWS Lambda, Concurrent executions, L-B99A9384):',
        '    aws service-quotas request-service-quota-increase --service-code lambda --quota-code L-B99A9384 --desired-value 1050 --region eu-west-1',
      ].join('\n'),
    });
    expect(preflightStops(findings)).toBe(true);
    expect(preflightReport(findings)).toContain(
      'Stopped before CloudFormation was touched: nothing was deployed or changed.',
    );
    expect(preflightStops(await run('-c', 'reservedConcurrency=50'))).toBe(false);
    expect(preflightStops(await run('-c', 'reservedConcurrency=51'))).toBe(true);
  });

  it('writes the fix over the user’s own arguments, keeping the rest', async () => {
    fake.reservations.set('other', 850);
    const args = ['-c', 'stage=prod', '--context=reservedConcurrency=120', '--context', 'site=off'];
    const text = about(await run(...args), 'Lambda')?.text;
    expect(text).toContain(
      '  npm run deploy -- -c stage=prod --context site=off -c reservedConcurrency=50   (the most that fits)',
    );
    expect(fake.operations).toContain('GetFunctionConcurrency');
  });

  it('counts the reservation the function already holds as its own to keep', async () => {
    fake.reservations.set('other', 800);
    fake.reservations.set(FUNCTION, 100);
    expect(about(await run(), 'Lambda')).toEqual({
      level: 'ok',
      text: 'Lambda concurrency: reserving 100 leaves 100 of the quota of 1000 unreserved (the function holds 100 now)',
    });
    const more = about(await run('-c', 'reservedConcurrency=150'), 'Lambda');
    expect(more?.level).toBe('stop');
    expect(more?.text).toContain('npm run deploy -- -c reservedConcurrency=100   (the most');
  });

  it('stops the default reservation in a new account whose quota is 10, offering none or a quota of 200', async () => {
    fake.concurrencyQuota = 10;
    fake.functions.add(FUNCTION);
    const text = about(await run(), 'Lambda')?.text ?? '';
    expect(text).toContain('reserving 100 would leave 0 of the quota of 10 unreserved');
    expect(text).not.toMatch(/reservedConcurrency=\d/);
    expect(text).toContain('npm run deploy -- -c reservedConcurrency=none');
    expect(text).toContain('--desired-value 200 --region eu-west-1');
    expect(about(await run('-c', 'reservedConcurrency=none'), 'Lambda')).toEqual({
      level: 'ok',
      text: 'Lambda concurrency: nothing reserved; the function shares the 10 unreserved of the quota of 10',
    });
  });

  it('skips the check, without stopping, when the credentials may not read Lambda’s settings', async () => {
    fake.concurrencyQuota = 10;
    fake.denied.add('GetAccountSettings');
    const findings = await run();
    expect(about(findings, 'Lambda')).toEqual({
      level: 'warn',
      text: expect.stringMatching(/^Lambda concurrency: check skipped \(AccessDeniedException/),
    });
    expect(preflightStops(findings)).toBe(false);
  });
});

describe('the deploy preflight: API Gateway’s logs role', () => {
  const theirs = 'arn:aws:iam::123456789012:role/platform/ApiGatewayLogs';
  const ours = 'arn:aws:iam::123456789012:role/ServerlessChat-dev-ApiGatewayLogsRoleD1E2-AbC';

  it('stops apiLogsRole=existing when the Region has no role, with the fix', async () => {
    const finding = about(await run('-c', 'apiLogsRole=existing'), 'API Gateway');
    expect(finding?.level).toBe('stop');
    expect(finding?.text).toContain('Fix: npm run deploy -- -c apiLogsRole=create');
    fake.apiLogsRole = theirs;
    expect(about(await run('-c', 'apiLogsRole=existing'), 'API Gateway')?.level).toBe('ok');
  });

  it('warns that create replaces a role someone else set, and passes its own or none', async () => {
    fake.apiLogsRole = theirs;
    const finding = about(await run(), 'API Gateway');
    expect(finding?.level).toBe('warn');
    expect(finding?.text).toContain(
      `the Region's is ${theirs}, not this stack's; the deploy replaces it`,
    );
    expect(finding?.text).toContain('To keep it: npm run deploy -- -c apiLogsRole=existing');
    fake.apiLogsRole = ours;
    expect(about(await run(), 'API Gateway')?.level).toBe('ok');
    fake.apiLogsRole = undefined;
    expect(about(await run(), 'API Gateway')).toEqual({
      level: 'ok',
      text: 'API Gateway logs role: none yet; this stack sets one',
    });
  });
});

describe('the deploy preflight: CloudFront', () => {
  it('warns, without stopping, that an account with no distribution may not be verified', async () => {
    const findings = await run();
    const text = about(findings, 'CloudFront')?.text ?? '';
    expect(about(findings, 'CloudFront')?.level).toBe('warn');
    expect(text).toContain(
      '"Your account must be verified before you can add new CloudFront resources"',
    );
    expect(text).toContain('The chat API deploys first and works without the site');
    expect(text).toContain('npm run deploy -- -c site=off');
    expect(preflightStops(findings)).toBe(false);
  });

  it('passes an account that has distributions, and says when it could not look', async () => {
    fake.distributions = 3;
    expect(about(await run(), 'CloudFront')?.level).toBe('ok');
    fake.denied.add('ListDistributions');
    expect(about(await run(), 'CloudFront')).toEqual({
      level: 'warn',
      text: expect.stringMatching(/^CloudFront: check skipped, these credentials may not list/),
    });
  });

  it('asks CloudFront nothing when the site is off', async () => {
    expect(about(await run('-c', 'site=off'), 'CloudFront')?.level).toBe('ok');
    expect(fake.operations).not.toContain('ListDistributions');
  });
});

describe('skipping the deploy preflight', () => {
  it('is --no-preflight or -c preflight=off', () => {
    expect(preflightSkipped(['--no-preflight'])).toBe(true);
    expect(preflightSkipped(['-c', 'stage=prod', '-c', 'preflight=off'])).toBe(true);
    expect(preflightSkipped(['-c', 'stage=prod'])).toBe(false);
  });
});
