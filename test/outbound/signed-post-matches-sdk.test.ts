import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSignedPost } from '../../src/outbound/signed-post.js';
import { sdkSign } from '../support/sdk-sign.js';

const received: { path: string; headers: IncomingHttpHeaders }[] = [];
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received.push({ path: req.url ?? '', headers: req.headers });
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

describe('signed @connections posts, against the SDK signer', () => {
  it('send the headers @smithy/signature-v4 signs, for random stages, ids, bodies, tokens and instants', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(''), fc.stringMatching(/^\/[A-Za-z0-9_.-]{1,12}\/?$/)),
        fc.record(
          {
            accessKeyId: fc.stringMatching(/^ASIA[A-Z0-9]{16}$/),
            secretAccessKey: fc.base64String({ minLength: 40, maxLength: 40 }),
            sessionToken: fc.base64String({ minLength: 4, maxLength: 400 }),
          },
          { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
        ),
        fc.array(
          fc.record({
            id: fc.oneof(
              fc.stringMatching(/^[A-Za-z0-9_=+/-]{16}$/),
              fc.string({ unit: 'binary', maxLength: 20 }),
            ),
            // Few distinct bodies, so that one is often posted again (its hash is kept).
            body: fc.oneof(
              fc.constantFrom('', '{"type":"message"}'),
              fc.string({ unit: 'binary', maxLength: 300 }),
            ),
            at: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (stage, keys, posts) => {
          const url = new URL(`${origin}${stage}`);
          let clock = 0;
          const post = createSignedPost(url.href, {
            maxSockets: 1,
            region: 'eu-west-1',
            now: () => new Date(clock),
            credentials: async () => keys,
          });
          for (const { id, body, at } of posts) {
            clock = at;
            await post(`/@connections/${encodeURIComponent(id)}`, body);
            const [request] = received.splice(0);
            const expected = await sdkSign({
              keys,
              region: 'eu-west-1',
              url,
              path: request?.path ?? '',
              payload: Buffer.from(body),
              date: new Date(at),
            });
            expect(request?.path).toBe(
              `${url.pathname.replace(/\/$/, '')}/@connections/${encodeURIComponent(id)}`,
            );
            expect(request?.headers).toMatchObject(expected);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
