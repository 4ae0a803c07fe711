import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, vi } from 'vitest';
import { FakeServer } from './fake-server.js';

/** The operations the fake answers, by the name a test denies them with. */
export type AccountOperation =
  | 'GetCallerIdentity'
  | 'GetAccountSettings'
  | 'GetFunctionConcurrency'
  | 'GetAccount'
  | 'ListDistributions';

/** The `AWS_ENDPOINT_URL_*` variables of the four services, as the SDK's clients read them. */
export const ACCOUNT_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_LAMBDA',
  'AWS_ENDPOINT_URL_API_GATEWAY',
  'AWS_ENDPOINT_URL_CLOUDFRONT',
];

/** Dummy keys: nothing signed with them leaves this machine. */
export const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'fake', AWS_SECRET_ACCESS_KEY: 'fake' };

/**
 * A real HTTP server playing, for one account and Region, the read calls the deploy preflight
 * makes, each in its service's own protocol: STS GetCallerIdentity (query, XML), Lambda
 * GetAccountSettings and GetFunctionConcurrency (REST-JSON), API Gateway GetAccount (REST-JSON),
 * CloudFront ListDistributions (REST-XML).
 */
export class FakeAwsAccount extends FakeServer {
  account = '123456789012';
  /** `AccountLimit.ConcurrentExecutions`. */
  concurrencyQuota = 1000;
  /** Reserved concurrency by function name; the unreserved are the quota less their sum. */
  reservations = new Map<string, number>();
  /** Functions that exist without a reservation. */
  functions = new Set<string>();
  /** API Gateway's account-wide CloudWatch Logs role. */
  apiLogsRole: string | undefined;
  distributions = 0;
  /** Operations answered 403 AccessDenied, as for credentials whose policy lacks them. */
  denied = new Set<AccountOperation>();
  /** Every operation asked, in order. */
  operations: AccountOperation[] = [];

  reset() {
    this.concurrencyQuota = 1000;
    this.reservations.clear();
    this.functions.clear();
    this.apiLogsRole = undefined;
    this.distributions = 0;
    this.denied.clear();
    this.operations = [];
  }

  protected answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const body = new URLSearchParams(Buffer.concat(chunks).toString());
      const concurrency = /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/.exec(path);
      const operation: AccountOperation | undefined =
        body.get('Action') === 'GetCallerIdentity'
          ? 'GetCallerIdentity'
          : path === '/2016-08-19/account-settings' || path === '/2016-08-19/account-settings/'
            ? 'GetAccountSettings'
            : concurrency
              ? 'GetFunctionConcurrency'
              : path === '/account'
                ? 'GetAccount'
                : path === '/2020-05-31/distribution'
                  ? 'ListDistributions'
                  : undefined;
      if (operation === undefined) return json(res, 404, { message: `no such call: ${path}` });
      this.operations.push(operation);
      if (this.denied.has(operation)) return denied(res, operation);
      if (operation === 'GetCallerIdentity') return xml(res, 200, this.callerIdentity());
      if (operation === 'GetAccountSettings') return json(res, 200, this.accountSettings());
      if (operation === 'GetAccount') {
        return json(res, 200, {
          ...(this.apiLogsRole ? { cloudwatchRoleArn: this.apiLogsRole } : {}),
          throttleSettings: { burstLimit: 5000, rateLimit: 10000 },
        });
      }
      if (operation === 'ListDistributions') return xml(res, 200, this.distributionList());
      const name = decodeURIComponent(concurrency?.[1] ?? '');
      const reserved = this.reservations.get(name);
      if (reserved !== undefined) return json(res, 200, { ReservedConcurrentExecutions: reserved });
      if (this.functions.has(name)) return json(res, 200, {});
      return json(
        res,
        404,
        { Type: 'User', message: `Function not found: ${name}` },
        {
          'x-amzn-errortype': 'ResourceNotFoundException',
        },
      );
    });
  }

  private callerIdentity() {
    return (
      '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
      `<GetCallerIdentityResult><Arn>arn:aws:iam::${this.account}:user/alice</Arn>` +
      `<UserId>AIDAFAKE</UserId><Account>${this.account}</Account></GetCallerIdentityResult>` +
      '<ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></GetCallerIdentityResponse>'
    );
  }

  private accountSettings() {
    const reserved = [...this.reservations.values()].reduce((sum, count) => sum + count, 0);
    return {
      AccountLimit: {
        TotalCodeSize: 80530636800,
        CodeSizeUnzipped: 262144000,
        CodeSizeZipped: 52428800,
        ConcurrentExecutions: this.concurrencyQuota,
        UnreservedConcurrentExecutions: this.concurrencyQuota - reserved,
      },
      AccountUsage: { TotalCodeSize: 0, FunctionCount: this.functions.size },
    };
  }

  private distributionList() {
    const shown = Math.min(this.distributions, 1);
    const items = shown
      ? '<Items><DistributionSummary><Id>EFAKE</Id><DomainName>d1.cloudfront.net</DomainName>' +
        '<Enabled>true</Enabled></DistributionSummary></Items>'
      : '';
    return (
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<DistributionList xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">' +
      `<Marker></Marker>${this.distributions > 1 ? '<NextMarker>EFAKE</NextMarker>' : ''}` +
      `<MaxItems>1</MaxItems><IsTruncated>${this.distributions > 1}</IsTruncated>` +
      `<Quantity>${shown}</Quantity>${items}</DistributionList>`
    );
  }
}

const json = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

const xml = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/xml' });
  res.end(body);
};

/** AccessDenied as each protocol words it: XML for STS and CloudFront, JSON for the others. */
const denied = (res: ServerResponse, operation: AccountOperation) => {
  const message = `User: arn:aws:iam::123456789012:user/alice is not authorized to perform: ${operation}`;
  if (operation === 'GetCallerIdentity' || operation === 'ListDistributions') {
    return xml(
      res,
      403,
      '<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
        `<Message>${message}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
    );
  }
  return json(res, 403, { message }, { 'x-amzn-errortype': 'AccessDeniedException' });
};

/**
 * A fake account for a test file: the four services' endpoints point at it and the SDK signs
 * with dummy keys (never a profile's), in `eu-west-1`. Reset before each test.
 */
export const useFakeAwsAccount = () => {
  const fake = new FakeAwsAccount();
  beforeAll(async () => {
    await fake.start();
    // Stubbed, not assigned: unit files share a process, and the next must not inherit them.
    for (const variable of ACCOUNT_ENDPOINT_VARIABLES) vi.stubEnv(variable, fake.url);
    for (const [name, value] of Object.entries(DUMMY_CREDENTIALS)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_SESSION_TOKEN', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
  });
  beforeEach(() => fake.reset());
  afterAll(() => {
    vi.unstubAllEnvs();
    return fake.stop();
  });
  return fake;
};
