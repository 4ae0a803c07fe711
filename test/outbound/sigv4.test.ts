import type { AwsCredentialIdentity } from '@smithy/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSigner, sha256Hex } from '../../src/outbound/sigv4.js';
import { sdkSign } from '../support/sdk-sign.js';

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(1970, 0, 1);
const LAST = Date.UTC(2100, 0, 1);

/** API Gateway's ids, and anything else a path might carry (it is encoded). */
const connectionId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_=+/-]{16}$/),
  fc.string({ unit: 'grapheme-ascii', maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('', '.', '..', '/', 'a/../b', '%2F', "!'()*~"),
);

/** Empty, short unicode, and long (up to 32 KiB of UTF-8) bodies. */
const body = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 16 }), fc.nat(8_192))
    .map(([piece, times]) => piece.repeat(times))
    .filter((text) => Buffer.byteLength(text) <= 32_768),
);

const endpoint = fc
  .record({
    host: fc.oneof(
      fc.stringMatching(/^[a-z0-9]{10}\.execute-api\.[a-z]{2}-[a-z]+-\d\.amazonaws\.com$/),
      fc.constantFrom('127.0.0.1', 'localhost', 'chat.example.com'),
    ),
    port: fc.option(fc.integer({ min: 1, max: 65_535 }), { nil: undefined }),
    stage: fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^\/[A-Za-z0-9_-]{1,12}$/),
      fc.string({ unit: 'grapheme', maxLength: 12 }).map((text) => `/${text}`),
    ),
    secure: fc.boolean(),
  })
  .map(({ host, port, stage, secure }) => {
    const url = new URL(`${secure ? 'https' : 'http'}://${host}${port ? `:${port}` : ''}`);
    url.pathname = stage;
    return url;
  });

const credentials: fc.Arbitrary<AwsCredentialIdentity> = fc.record(
  {
    accessKeyId: fc.oneof(fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/), fc.string()),
    secretAccessKey: fc.oneof(fc.base64String({ minLength: 40, maxLength: 40 }), fc.string()),
    // Absent or random: temporary credentials' tokens are base64, but the header is canonicalized.
    sessionToken: fc.oneof(
      fc.base64String({ maxLength: 800 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.constantFrom(' a\t\tb \r\n', ''),
    ),
  },
  { requiredKeys: ['accessKeyId', 'secretAccessKey'] },
);

const region = fc.oneof(
  fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1', 'cn-north-1'),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Any millisecond from 1970 to 2100, with a bias to either side of midnight UTC. */
const instant = fc.oneof(
  fc.integer({ min: FIRST, max: LAST }),
  fc
    .tuple(
      fc.integer({ min: 1, max: (LAST - FIRST) / DAY_MS }),
      fc.constantFrom(-1_000, -1, 0, 1, 999),
    )
    .map(([day, offset]) => FIRST + day * DAY_MS + offset),
);

describe('the lean SigV4 signer', () => {
  it('gives byte-identical headers to @smithy/signature-v4 for random posts and DELETEs, on one signer through changing days', async () => {
    await fc.assert(
      fc.asyncProperty(
        region,
        credentials,
        endpoint,
        fc.array(
          fc.record({ id: connectionId, body: fc.option(body, { nil: undefined }), at: instant }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.boolean(),
        async (signingRegion, keys, url, posts, sameDay) => {
          // One signer per region (as per container), so its day key is reused and replaced.
          const sign = signerFor(signingRegion);
          const start = posts[0]?.at ?? FIRST;
          for (const [index, post] of posts.entries()) {
            const at = sameDay ? Math.min(LAST, start + index * 3_600_000) : post.at;
            // No body: a DELETE.
            const payload = post.body === undefined ? undefined : Buffer.from(post.body);
            const path = `${url.pathname.replace(/\/$/, '')}/@connections/${encodeURIComponent(post.id)}`;
            const target = { host: url.host, path, date: new Date(at) };
            const ours = sign(
              keys,
              payload
                ? {
                    ...target,
                    method: 'POST',
                    contentLength: payload.length,
                    payloadHash: sha256Hex(payload),
                  }
                : { ...target, method: 'DELETE', payloadHash: sha256Hex('') },
            );
            const sdk = Object.entries(
              await sdkSign({
                keys,
                region: signingRegion,
                url,
                path,
                payload,
                date: new Date(at),
              }),
            );
            expect(Object.entries(ours)).toEqual(sdk);
          }
        },
      ),
      { numRuns: 2_500 },
    );
  });

  it('signs again with new credentials on the same signer', () => {
    const sign = createSigner('eu-west-1', 'execute-api');
    const request = {
      method: 'POST' as const,
      host: 'h',
      path: '/@connections/a',
      contentLength: 0,
      payloadHash: sha256Hex(''),
      date: new Date(0),
    };
    const first = sign({ accessKeyId: 'A', secretAccessKey: 'one' }, request).authorization;
    const second = sign({ accessKeyId: 'A', secretAccessKey: 'two' }, request).authorization;
    expect(second).not.toBe(first);
  });

  it('refuses credentials without a key id or secret, clearly', () => {
    const sign = createSigner('eu-west-1', 'execute-api');
    expect(() =>
      sign({ accessKeyId: 'A' } as AwsCredentialIdentity, {
        method: 'POST',
        host: 'h',
        path: '/',
        contentLength: 0,
        payloadHash: sha256Hex(''),
        date: new Date(0),
      }),
    ).toThrow('Resolved credential object is not valid');
  });
});

const signers = new Map<string, ReturnType<typeof createSigner>>();
const signerFor = (signingRegion: string) => {
  let sign = signers.get(signingRegion);
  if (!sign) {
    sign = createSigner(signingRegion, 'execute-api');
    signers.set(signingRegion, sign);
  }
  return sign;
};
