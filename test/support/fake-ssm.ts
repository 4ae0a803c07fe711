import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, vi } from 'vitest';
import { localAwsConfig } from '../../local/dynamodb-local.js';
import { FakeServer } from './fake-server.js';

/**
 * What a parameter answers: its value (a SecureString unless `type` says String), an SSM error
 * type, or a dropped connection.
 */
export type ParameterAnswer =
  | { value: string; type?: 'String' | 'SecureString' }
  | { error: string }
  | 'hang-up';

/**
 * A real HTTP server playing SSM Parameter Store's JSON protocol (`X-Amz-Target:
 * AmazonSSM.GetParameter`, `application/x-amz-json-1.1`), reached through
 * `AWS_ENDPOINT_URL_SSM`. A parameter nobody set answers `ParameterNotFound`, as SSM does.
 */
export class FakeSsm extends FakeServer {
  parameters = new Map<string, ParameterAnswer>();
  /** Every GetParameter request's body, in order. */
  requests: { Name?: string; WithDecryption?: boolean }[] = [];

  protected answer(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as {
        Name?: string;
        WithDecryption?: boolean;
      };
      this.requests.push(body);
      const answer: ParameterAnswer =
        target !== 'AmazonSSM.GetParameter'
          ? { error: 'UnknownOperationException' }
          : (this.parameters.get(body.Name ?? '') ?? { error: 'ParameterNotFound' });
      if (answer === 'hang-up') {
        req.socket.destroy();
        return;
      }
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if ('error' in answer) {
        res.writeHead(400);
        res.end(JSON.stringify({ __type: answer.error, message: `${answer.error} (fake)` }));
        return;
      }
      const type = answer.type ?? 'SecureString';
      res.writeHead(200);
      res.end(
        JSON.stringify({
          Parameter: {
            Name: body.Name,
            Type: type,
            Value: type === 'String' || body.WithDecryption ? answer.value : 'AQICAHencrypted==',
            Version: 1,
            ARN: `arn:aws:ssm:us-east-1:000000000000:parameter${body.Name}`,
          },
        }),
      );
    });
  }

  /** GetParameter requests for one parameter. */
  readsOf(name: string) {
    return this.requests.filter((request) => request.Name === name).length;
  }
}

/**
 * A fake SSM for a test file, with `AWS_ENDPOINT_URL_SSM` pointing at it and, unless the file
 * set them, the local Region and credentials for the SDK client to sign with.
 */
export const useFakeSsm = () => {
  const fake = new FakeSsm();
  beforeAll(async () => {
    await fake.start();
    // Stubbed, not assigned: unit files share a process, and the next must not inherit them.
    vi.stubEnv('AWS_ENDPOINT_URL_SSM', fake.url);
    const defaults = {
      AWS_REGION: localAwsConfig.region,
      AWS_ACCESS_KEY_ID: localAwsConfig.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localAwsConfig.credentials.secretAccessKey,
    };
    for (const [name, value] of Object.entries(defaults)) {
      if (process.env[name] === undefined) vi.stubEnv(name, value);
    }
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    return fake.stop();
  });
  return fake;
};

/** A clock a test moves by hand, for the parameter readers' refresh and back-off intervals. */
export const manualClock = () => {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};
