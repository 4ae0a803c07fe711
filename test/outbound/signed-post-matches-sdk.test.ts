import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  PostToConnectionCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { AwsCredentialIdentity, FinalizeRequestMiddleware } from '@smithy/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectionsApi } from '../../src/outbound/connections-api.js';

/** A request as it arrived: the request line, the header block as sent, the body's bytes. */
interface Captured {
  method: string;
  url: string;
  /** Names (as cased on the wire) and values, alternating, in the order sent. */
  rawHeaders: string[];
  body: Buffer;
}

const captured: Captured[] = [];
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    captured.push({
      method: req.method ?? '',
      url: req.url ?? '',
      rawHeaders: req.rawHeaders,
      body: Buffer.concat(chunks),
    });
    res.end();
  });
});
let origin = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** The one request the server got since the last call. */
const takeOne = () => {
  const requests = captured.splice(0);
  expect(requests).toHaveLength(1);
  return requests[0] as Captured;
};

/**
 * The SDK's telemetry headers that it signs: taken out of its request before it signs, so that its
 * signature covers the headers ours sends. (`user-agent`, its fourth, it never signs.)
 */
const SIGNED_TELEMETRY = ['amz-sdk-invocation-id', 'amz-sdk-request', 'x-amz-user-agent'];

/** The SDK client, with its signed telemetry removed just before its signing middleware. */
const sdkClient = (
  endpoint: string,
  credentials: AwsCredentialIdentity,
  systemClockOffset: number,
) => {
  const client = new ApiGatewayManagementApiClient({
    endpoint,
    region: 'eu-west-1',
    // A copy: the SDK marks the object it is given (`$source`).
    credentials: { ...credentials },
    systemClockOffset,
    maxAttempts: 1,
  });
  const removed: string[][] = [];
  const stripTelemetry: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> =
    (next) => async (args) => {
      const { headers } = args.request as { headers: Record<string, string> };
      removed.push(SIGNED_TELEMETRY.filter((name) => name in headers));
      for (const name of SIGNED_TELEMETRY) delete headers[name];
      return next(args);
    };
  client.middlewareStack.addRelativeTo(stripTelemetry, {
    relation: 'before',
    toMiddleware: 'httpSigningMiddleware',
    name: 'stripSignedTelemetry',
  });
  return { client, removed };
};

/** `20261127T065652Z` as an instant. */
const instantOf = (stamp: string) =>
  Date.UTC(
    Number(stamp.slice(0, 4)),
    Number(stamp.slice(4, 6)) - 1,
    Number(stamp.slice(6, 8)),
    Number(stamp.slice(9, 11)),
    Number(stamp.slice(11, 13)),
    Number(stamp.slice(13, 15)),
  );

/** A raw header list without the named headers (lower-case names). */
const without = (rawHeaders: string[], names: string[]) => {
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (!names.includes(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] as string);
  }
  return kept;
};

const headerValue = (rawHeaders: string[], name: string) =>
  rawHeaders[rawHeaders.findIndex((n, i) => i % 2 === 0 && n.toLowerCase() === name) + 1];

const encoder = new TextEncoder();
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(2100, 0, 1);

describe('signed @connections posts, against the SDK client', () => {
  it('send the request PostToConnectionCommand (or DeleteConnectionCommand) sends, byte for byte but its telemetry: method, path, every header in order, Authorization included, and the body', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('', '/'), fc.stringMatching(/^\/[A-Za-z0-9_-]{1,12}\/?$/)),
        fc.record(
          {
            accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
            secretAccessKey: fc.base64String({ minLength: 40, maxLength: 40 }),
            sessionToken: fc.oneof(
              fc.base64String({ minLength: 4, maxLength: 400 }),
              fc.constantFrom('tok  en', 'a\tb'),
            ),
          },
          { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
        ),
        // The SDK signs with its own clock: shifted to anywhere from 1970 to 2100.
        fc.integer({ min: FIRST - Date.now(), max: LAST - Date.now() - 86_400_000 }),
        fc.array(
          fc.record({
            id: fc.oneof(
              fc.stringMatching(/^[A-Za-z0-9_=+/-]{16}$/),
              fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
              fc.constantFrom("!'()*~", '.', '..', 'a/../b', '%2F', 'é=', ' '),
            ),
            // Few distinct bodies, so that one is often posted again (its hash is kept); none
            // for a DELETE.
            body: fc.option(
              fc.oneof(
                fc.constantFrom('', '{"type":"message"}'),
                fc.string({ unit: 'binary', maxLength: 300 }),
                fc
                  .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }), fc.nat(4_096))
                  .map(([piece, times]) => piece.repeat(times)),
              ),
              { nil: undefined, freq: 4 },
            ),
            // Where in the SDK's second ours signs: the stamp is the same.
            ms: fc.nat(999),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        async (stage, credentials, systemClockOffset, posts) => {
          const endpoint = `${origin}${stage}`;
          const { client, removed } = sdkClient(endpoint, credentials, systemClockOffset);
          let clock = 0;
          const ours = createConnectionsApi(endpoint, 1, {
            region: 'eu-west-1',
            credentials: async () => credentials,
            now: () => new Date(clock),
          });
          try {
            for (const { id, body, ms } of posts) {
              // As the SDK poster sent it (an empty string would go without a signed length).
              const Data = encoder.encode(body ?? '');
              if (body === undefined) {
                await client.send(new DeleteConnectionCommand({ ConnectionId: id }));
              } else {
                await client.send(new PostToConnectionCommand({ ConnectionId: id, Data }));
              }
              const sdk = takeOne();
              expect(removed.splice(0)).toEqual([SIGNED_TELEMETRY]);
              clock = instantOf(headerValue(sdk.rawHeaders, 'x-amz-date') ?? '') + ms;
              await (body === undefined ? ours.delete(id) : ours.post(id, body));
              const mine = takeOne();

              const method = body === undefined ? 'DELETE' : 'POST';
              expect(mine.method).toBe(method);
              expect(sdk.method).toBe(method);
              // The one difference: a stage's trailing slash, which the SDK client keeps
              // (`/prod//@connections/…`) and ours drops. Both sign the same canonical path.
              const trailingSlash = stage.length > 1 && stage.endsWith('/');
              expect(
                sdk.url.startsWith(
                  `${trailingSlash ? stage : stage.replace(/\/$/, '')}/@connections/`,
                ),
              ).toBe(true);
              expect(mine.url).toBe(trailingSlash ? sdk.url.replace(`${stage}/`, stage) : sdk.url);
              // Compared as bytes (a deep equality walks them one by one: slow at 100 KiB).
              expect(sdk.body.equals(Data)).toBe(true);
              expect(mine.body.equals(sdk.body)).toBe(true);
              expect(without(sdk.rawHeaders, ['user-agent'])).toEqual(mine.rawHeaders);
              expect(headerValue(sdk.rawHeaders, 'user-agent')).toMatch(/^aws-sdk-js\//);
              expect(headerValue(mine.rawHeaders, 'authorization')).toContain(
                body === undefined
                  ? 'SignedHeaders=host;x-amz-content-sha256;x-amz-date'
                  : 'SignedHeaders=content-length;content-type;host;x-amz-content-sha256;x-amz-date',
              );
            }
          } finally {
            client.destroy();
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('differ from the untouched SDK client’s request by its four telemetry headers alone, and so by the signature', async () => {
    const credentials = {
      accessKeyId: 'ASIAEXAMPLEEXAMPLE00',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE==',
    };
    const client = new ApiGatewayManagementApiClient({
      endpoint: `${origin}/prod`,
      region: 'eu-west-1',
      credentials: { ...credentials },
    });
    await client.send(
      new PostToConnectionCommand({
        ConnectionId: 'L0SM9cOFvHcCIhw=',
        Data: encoder.encode('{"a":1}'),
      }),
    );
    client.destroy();
    const sdk = takeOne();
    const stamp = headerValue(sdk.rawHeaders, 'x-amz-date') ?? '';
    const ours = createConnectionsApi(`${origin}/prod`, 1, {
      region: 'eu-west-1',
      credentials: async () => credentials,
      now: () => new Date(instantOf(stamp)),
    });
    await ours.post('L0SM9cOFvHcCIhw=', '{"a":1}');
    const mine = takeOne();

    const names = (rawHeaders: string[]) => rawHeaders.filter((_, i) => i % 2 === 0);
    expect(names(sdk.rawHeaders)).toEqual([
      'content-type',
      'content-length',
      'x-amz-user-agent',
      'user-agent',
      'host',
      'amz-sdk-invocation-id',
      'amz-sdk-request',
      'x-amz-date',
      'x-amz-security-token',
      'x-amz-content-sha256',
      'authorization',
      'Connection',
    ]);
    expect(mine.url).toBe(sdk.url);
    expect(mine.url).toBe('/prod/@connections/L0SM9cOFvHcCIhw%3D');
    expect(without(sdk.rawHeaders, ['user-agent', ...SIGNED_TELEMETRY, 'authorization'])).toEqual(
      without(mine.rawHeaders, ['authorization']),
    );
    expect(headerValue(sdk.rawHeaders, 'content-type')).toBe('application/octet-stream');
    const signedHeaders = (rawHeaders: string[]) =>
      /SignedHeaders=([^,]+)/.exec(headerValue(rawHeaders, 'authorization') ?? '')?.[1];
    expect(signedHeaders(sdk.rawHeaders)).toBe(
      'amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-amz-user-agent',
    );
    expect(signedHeaders(mine.rawHeaders)).toBe(
      'content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token',
    );
  });
});
