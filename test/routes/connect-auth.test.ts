import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { authorizeConnect, verifyJwt } from '../../src/routes/connect-auth.js';

const jwt = (claims: Record<string, unknown>, secret: string, alg = 'HS256') => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

const now = Date.UTC(2026, 10, 25);

describe('$connect gates', () => {
  it('lets everyone in when nothing is configured', () => {
    expect(authorizeConnect({}, undefined, undefined, now)).toEqual({ allowed: true });
  });

  it('refuses a browser origin that is not on the allow-list, and lets listed and origin-less clients in', () => {
    const auth = { allowedOrigins: ['https://chat.example.com'] };
    expect(
      authorizeConnect(auth, { Origin: 'https://evil.example' }, undefined, now),
    ).toMatchObject({
      allowed: false,
      statusCode: 403,
    });
    expect(
      authorizeConnect(auth, { origin: 'https://chat.example.com' }, undefined, now).allowed,
    ).toBe(true);
    expect(authorizeConnect(auth, { Host: 'x' }, undefined, now).allowed).toBe(true);
  });

  it('requires the shared secret as the token when one is set', () => {
    const auth = { sharedSecret: 's3cret' };
    expect(authorizeConnect(auth, {}, undefined, now)).toMatchObject({
      allowed: false,
      statusCode: 401,
    });
    expect(authorizeConnect(auth, {}, 's3cre', now)).toMatchObject({
      allowed: false,
      statusCode: 401,
    });
    expect(authorizeConnect(auth, {}, 's3cret', now)).toEqual({ allowed: true });
  });

  it('accepts a valid HS256 JWT, takes its name claim, and refuses expired, forged or alg-swapped ones', () => {
    const auth = { jwtSecret: 'key' };
    const valid = jwt({ name: 'verified-alice', exp: now / 1000 + 60 }, 'key');
    expect(authorizeConnect(auth, {}, valid, now)).toEqual({
      allowed: true,
      name: 'verified-alice',
    });
    expect(authorizeConnect(auth, {}, jwt({ exp: now / 1000 - 1 }, 'key'), now).allowed).toBe(
      false,
    );
    expect(authorizeConnect(auth, {}, jwt({}, 'other-key'), now).allowed).toBe(false);
    expect(authorizeConnect(auth, {}, jwt({}, 'key', 'none'), now).allowed).toBe(false);
    expect(authorizeConnect(auth, {}, 'not.a.jwt', now).allowed).toBe(false);
    expect(verifyJwt(jwt({ nbf: now / 1000 + 60 }, 'key'), 'key', now / 1000)).toBeUndefined();
  });
});
