import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';
import { createSignedRequests } from '../../src/outbound/signed-post.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const received: Received[] = [];
let answer = 200;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    received.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    const status = answer === 200 && req.method === 'DELETE' ? 204 : answer;
    res.writeHead(status, answer === 410 ? { 'x-amzn-ErrorType': 'GoneException' } : {});
    res.end(answer === 200 ? '' : '{"message":null}');
  });
});
let endpoint = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`;
});
afterAll(() => server.close());
// Each test reads only the requests it sent, answered as it chose.
beforeEach(() => {
  received.length = 0;
  answer = 200;
});
afterEach(() => vi.unstubAllEnvs());

/** Re-signs a received request the way API Gateway checks it: same signed headers, same instant. */
const verify = async ({ method, path, headers, body }: Received) => {
  const authorization = String(headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const stamp = String(headers['x-amz-date']);
  const date = new Date(
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'eu-west-1',
    credentials,
    sha256: Sha256,
  });
  const again = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      path,
      query: {},
      // The payload hash is recomputed from the body received, as the gateway checks it.
      headers: Object.fromEntries(
        signedHeaders
          .filter((name) => name !== 'x-amz-content-sha256')
          .map((name) => [name, String(headers[name])]),
      ),
      body,
    },
    { signingDate: date },
  );
  return again.headers.authorization === authorization;
};

describe('signed @connections posts', () => {
  it('signs the way the SDK client does: a checker that accepts the SDK accepts ours', async () => {
    const sdk = new ApiGatewayManagementApiClient({ endpoint, region: 'eu-west-1', credentials });
    await sdk.send(
      new PostToConnectionCommand({
        ConnectionId: 'Ab+c/D=',
        Data: new TextEncoder().encode('{"a":1}'),
      }),
    );
    const requests = createSignedRequests(endpoint, {
      maxSockets: 2,
      region: 'eu-west-1',
      credentials: async () => credentials,
    });
    await requests.post(`/@connections/${encodeURIComponent('Ab+c/D=')}`, '{"a":1}');
    const [fromSdk, ours] = received.splice(0);
    expect(ours?.path).toBe(fromSdk?.path);
    expect(ours?.path).toBe('/prod/@connections/Ab%2Bc%2FD%3D');
    expect(ours?.body).toBe('{"a":1}');
    expect(await verify(fromSdk as Received)).toBe(true);
    expect(await verify(ours as Received)).toBe(true);
    expect(await verify({ ...(ours as Received), body: '{"a":2}' })).toBe(false);
  });

  it('signs a DELETE the way the SDK client’s DeleteConnectionCommand does, with no body', async () => {
    const sdk = new ApiGatewayManagementApiClient({ endpoint, region: 'eu-west-1', credentials });
    await sdk.send(new DeleteConnectionCommand({ ConnectionId: 'Ab+c/D=' }));
    const api = createConnectionsApi(endpoint, 2, {
      region: 'eu-west-1',
      credentials: async () => credentials,
    });
    await api.delete('Ab+c/D=');
    const [fromSdk, ours] = received.splice(0);
    expect(ours).toMatchObject({ method: 'DELETE', path: '/prod/@connections/Ab%2Bc%2FD%3D' });
    expect(ours?.path).toBe(fromSdk?.path);
    expect(ours?.body).toBe('');
    expect(ours?.headers['content-length']).toBeUndefined();
    expect(await verify(fromSdk as Received)).toBe(true);
    expect(await verify(ours as Received)).toBe(true);
    expect(await verify({ ...(ours as Received), method: 'POST' })).toBe(false);
  });

  it('asks for credentials once, and again shortly before they expire', async () => {
    let clock = Date.UTC(2026, 10, 26, 12);
    const expiration = new Date(clock + 60 * 60_000);
    const handedOut: string[] = [];
    const { post } = createSignedRequests(endpoint, {
      maxSockets: 2,
      region: 'eu-west-1',
      now: () => new Date(clock),
      credentials: async () => {
        const accessKeyId = `AKID${handedOut.length}`;
        handedOut.push(accessKeyId);
        return { ...credentials, accessKeyId, sessionToken: 'token', expiration };
      },
    });
    await Promise.all([post('/@connections/a', 'x'), post('/@connections/b', 'x')]);
    await post('/@connections/c', 'y');
    clock = expiration.getTime() - 6 * 60_000;
    await post('/@connections/d', 'y');
    expect(handedOut).toEqual(['AKID0']);
    clock = expiration.getTime() - 4 * 60_000;
    await post('/@connections/e', 'y');
    expect(handedOut).toEqual(['AKID0', 'AKID1']);
    const keyIds = received
      .splice(0)
      .map(({ headers }) => /Credential=(\w+)\//.exec(String(headers.authorization))?.[1]);
    expect(keyIds).toEqual(['AKID0', 'AKID0', 'AKID0', 'AKID0', 'AKID1']);
  });

  it('turns an error answer into an error with the status and the gateway’s error type', async () => {
    // Without credentials given, the SDK's default chain finds them in the environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
    answer = 410;
    const api = createConnectionsApi(endpoint, 2);
    for (const request of [() => api.post('gone', 'x'), () => api.delete('gone')]) {
      await expect(request()).rejects.toMatchObject({
        name: 'GoneException',
        $metadata: { httpStatusCode: 410 },
      });
    }
  });
});
