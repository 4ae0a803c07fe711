import { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createOriginGate } from '../../src/auth/allowed-origins.js';
import {
  type AuthEvent,
  authorizeToken,
  type ConnectAuth,
  checkOrigin,
} from '../../src/auth/connect-auth.js';
import { readAuthConfig } from '../../src/config.js';
import { createSecretSource } from '../../src/outbound/secret-parameters.js';
import { tokenProtocol } from '../../src/protocol/subprotocol.js';
import { epochSeconds, signJwt } from '../support/tokens.js';

const now = Date.UTC(2026, 10, 25);
const KEY = 'jwt-test-key';
const at = (offset: number) => epochSeconds(offset, now);
const good = { name: 'alice', sub: 'user-1', exp: at(600) };
// The clock skew allowed on exp and nbf, as documented (docs/security.md, "Who may connect"):
// written here, not imported, so that a change to the constant in src fails.
const TOLERANCE_SECONDS = 30;

const withSecrets = (secrets: { sharedSecret?: string; jwtSecret?: string }, extra = {}) =>
  ({ secrets: async () => secrets, ...extra }) as ConnectAuth;
const jwtAuth = withSecrets({ jwtSecret: KEY });
const offering = (...protocols: string[]): AuthEvent => ({
  headers: { 'Sec-WebSocket-Protocol': protocols.join(', ') },
});
/** A connect with this query, offering `token` (if any) as a browser does. */
const query = (token?: string, more: Record<string, string> = {}): AuthEvent => ({
  queryStringParameters: more,
  ...(token === undefined ? {} : offering('chat', tokenProtocol(token))),
});
const verdict = (auth: ConnectAuth, event: AuthEvent) => authorizeToken(auth, event, now);

describe('$connect gates', () => {
  it('lets everyone in when nothing is configured, whatever token they bring', async () => {
    expect(await verdict({}, {})).toEqual({ allowed: true });
    expect(await verdict(withSecrets({}), offering('token.!!'))).toEqual({ allowed: true });
  });

  it('refuses a browser origin that is not on the allow-list, and lets listed and origin-less clients in', async () => {
    const auth = {
      origins: createOriginGate(
        { allowedOrigins: ['https://chat.example.com'] },
        { ssm: () => new SSMClient({}), now: () => now },
      ),
    };
    expect(await checkOrigin(auth, { headers: { Origin: 'https://evil.example' } })).toMatchObject({
      allowed: false,
      statusCode: 403,
    });
    expect(
      (await checkOrigin(auth, { headers: { origin: 'https://chat.example.com' } })).allowed,
    ).toBe(true);
    expect((await checkOrigin(auth, { headers: { Host: 'x' } })).allowed).toBe(true);
  });

  it('requires the shared secret as the token when one is set, and takes no name from it', async () => {
    const auth = withSecrets({ sharedSecret: 's3cret' });
    expect(await verdict(auth, query())).toEqual({
      allowed: false,
      statusCode: 401,
      reason: 'a token is required: offer it as the "token." subprotocol beside "chat"',
    });
    expect(await verdict(auth, query('s3cre'))).toMatchObject({ allowed: false, statusCode: 401 });
    expect(await verdict(auth, query('s3cret'))).toEqual({ allowed: true });
  });
});

describe('JWT verification', () => {
  it('accepts a valid HS256 JWT and takes its name and subject', async () => {
    expect(await verdict(jwtAuth, query(signJwt(good, KEY)))).toEqual({
      allowed: true,
      name: 'alice',
      subject: 'user-1',
    });
  });

  it.each([
    ['without exp', { name: 'a', sub: 'u' }, 'the token must carry an "exp" claim'],
    ['with exp as text', { name: 'a', exp: '1' }, 'the token\'s "exp" claim is not valid'],
    [
      'with exp as far-future text',
      { name: 'a', exp: String(at(600)) },
      'the token\'s "exp" claim is not valid',
    ],
    [
      'expired beyond the tolerance',
      { name: 'a', exp: at(-TOLERANCE_SECONDS - 1) },
      'the token has expired',
    ],
    [
      'without sub, whose owner would otherwise be its name',
      { name: 'a', exp: at(600) },
      'the token must carry a "sub" claim saying who the user is',
    ],
    [
      'with an empty sub',
      { name: 'a', sub: '', exp: at(600) },
      'the token must carry a "sub" claim saying who the user is',
    ],
    [
      'with sub as a number',
      { name: 'a', sub: 7, exp: at(600) },
      'the token must carry a "sub" claim saying who the user is',
    ],
    [
      'not valid yet beyond the tolerance',
      { ...good, nbf: at(TOLERANCE_SECONDS + 1) },
      'the token is not valid yet (nbf)',
    ],
    ['with nbf as text', { ...good, nbf: '0' }, 'the token\'s "nbf" claim is not valid'],
  ])('refuses a token %s with 401 and says why', async (_case, claims, reason) => {
    expect(await verdict(jwtAuth, query(signJwt(claims, KEY)))).toEqual({
      allowed: false,
      statusCode: 401,
      reason,
    });
  });

  it('allows the clock tolerance on exp and nbf', async () => {
    // jose counts a token expired at exactly exp - tolerance, and valid up to nbf + tolerance.
    const skewed = { ...good, exp: at(-TOLERANCE_SECONDS + 1), nbf: at(TOLERANCE_SECONDS) };
    expect((await verdict(jwtAuth, query(signJwt(skewed, KEY)))).allowed).toBe(true);
  });

  it('refuses forged, alg-swapped and malformed tokens', async () => {
    const reasonFor = async (token: string) => {
      const result = await verdict(jwtAuth, query(token));
      return result.allowed ? 'allowed' : result.reason;
    };
    expect(await reasonFor(signJwt(good, 'other-key'))).toBe('the token signature is not valid');
    expect(await reasonFor(signJwt(good, KEY, 'HS512'))).toBe(
      'the token must be signed with HS256',
    );
    const [head, body] = signJwt(good, KEY, 'none').split('.');
    expect(await reasonFor(`${head}.${body}.`)).not.toBe('allowed');
    expect(await reasonFor('not.a.jwt')).toBe('the token is not a valid JWT');
  });

  it('requires aud and iss only when they are configured', async () => {
    const strict = withSecrets(
      { jwtSecret: KEY },
      { jwtAudience: 'chat', jwtIssuer: 'https://id.example' },
    );
    const refusal = async (claims: Record<string, unknown>) => {
      const result = await verdict(strict, query(signJwt(claims, KEY)));
      return result.allowed ? 'allowed' : result.reason;
    };
    expect(await refusal(good)).toBe('the token must carry an "iss" claim');
    expect(await refusal({ ...good, iss: 'https://id.example' })).toBe(
      'the token must carry an "aud" claim',
    );
    expect(await refusal({ ...good, aud: 'other', iss: 'https://id.example' })).toBe(
      'the token is not meant for this chat (aud)',
    );
    expect(await refusal({ ...good, aud: 'chat', iss: 'https://evil.example' })).toBe(
      'the token is not from the expected issuer (iss)',
    );
    expect(await refusal({ ...good, aud: ['x', 'chat'], iss: 'https://id.example' })).toBe(
      'allowed',
    );
    expect((await verdict(jwtAuth, query(signJwt({ ...good, aud: 'any' }, KEY)))).allowed).toBe(
      true,
    );
  });

  it('refuses a token without a usable name claim', async () => {
    for (const name of [undefined, 42, null, ['alice']]) {
      const result = await verdict(jwtAuth, query(signJwt({ ...good, name }, KEY)));
      expect(result).toEqual({
        allowed: false,
        statusCode: 401,
        reason: 'the token must carry a name claim',
      });
    }
  });

  it.each([
    ['a right-to-left override', '\u202eecila', 'bidirectional controls'],
    ['a NUL', 'al\u0000ice', 'control characters'],
    ['5,002 characters', 'n'.repeat(5002), '1-32 characters'],
    ['an empty string', '', '1-32 characters'],
    ['a zero-width space', 'ali\u200bce', 'invisible characters'],
  ])('refuses a name claim with %s, naming the rule it broke', async (_case, name, rule) => {
    const result = await verdict(jwtAuth, query(signJwt({ ...good, name }, KEY)));
    expect(result).toMatchObject({ allowed: false, statusCode: 401 });
    expect(!result.allowed && result.reason).toContain("the token's name claim is not allowed: ");
    expect(!result.allowed && result.reason).toContain(rule);
  });

  it('gives the normalised name claim', async () => {
    const result = await verdict(jwtAuth, query(signJwt({ ...good, name: '  ａｌｉｃｅ ' }, KEY)));
    expect(result).toMatchObject({ allowed: true, name: 'alice' });
  });

  it('never puts the token in a refusal', async () => {
    for (const token of [
      signJwt({ name: 'a' }, KEY),
      signJwt(good, 'wrong'),
      'secret-looking-text',
    ]) {
      const result = await verdict(jwtAuth, query(token));
      expect(JSON.stringify(result)).not.toContain(token);
      expect(JSON.stringify(result)).not.toContain(token.split('.')[1] ?? token);
    }
  });
});

describe('token transport', () => {
  const token = signJwt(good, KEY);

  it('takes the token from the subprotocol a browser offers beside chat', async () => {
    expect(await verdict(jwtAuth, offering('chat', tokenProtocol(token)))).toMatchObject({
      allowed: true,
      name: 'alice',
    });
  });

  it('reads the subprotocol from repeated headers as well', async () => {
    const event = {
      headers: { 'sec-websocket-protocol': tokenProtocol(token) },
      multiValueHeaders: { 'sec-websocket-protocol': ['chat', tokenProtocol(token)] },
    };
    expect((await verdict(jwtAuth, event)).allowed).toBe(true);
  });

  it.each([
    [
      'two token subprotocols',
      offering('chat', tokenProtocol(token), tokenProtocol(token)),
      'give one token',
    ],

    [
      'a token subprotocol without chat',
      offering(tokenProtocol(token)),
      'offer the "chat" subprotocol',
    ],
    ['padding', offering('chat', `${tokenProtocol(token)}=`), 'base64url without padding'],
    ['an empty token subprotocol', offering('chat', 'token.'), 'base64url without padding'],
  ])('refuses %s with 401', async (_case, event, reason) => {
    const result = await verdict(jwtAuth, event);
    expect(result).toMatchObject({ allowed: false, statusCode: 401 });
    expect(!result.allowed && result.reason).toContain(reason);
  });

  it('refuses a token in the query with 400, auth on or off, saying to use the subprotocol', async () => {
    const inQuery = { queryStringParameters: { room: 'r', token } };
    for (const auth of [jwtAuth, {}]) {
      expect(await verdict(auth, inQuery)).toEqual({
        allowed: false,
        statusCode: 400,
        reason:
          'a token in the query is refused: offer it as the "token." subprotocol beside "chat"',
      });
      expect(
        await verdict(auth, { ...inQuery, ...offering('chat', tokenProtocol(token)) }),
      ).toMatchObject({ allowed: false, statusCode: 400 });
    }
  });
});

describe('every mix of secrets behaves as documented', () => {
  const shared = 'service-secret';
  const jwt = signJwt(good, KEY);
  const bad = signJwt(good, 'not-the-key');
  const env = {
    neither: {},
    'CONNECT_SECRET alone': { CONNECT_SECRET: shared },
    'CONNECT_JWT_SECRET alone': { CONNECT_JWT_SECRET: KEY },
    both: { CONNECT_SECRET: shared, CONNECT_JWT_SECRET: KEY },
  };
  // mix, token, what happens: 'open' (in, name from ?name=), 'jwt' (in, name from the token), 401.
  const table: [keyof typeof env, string | undefined, 'open' | 'jwt' | 401][] = [
    ['neither', undefined, 'open'],
    ['neither', 'anything', 'open'],
    ['CONNECT_SECRET alone', undefined, 401],
    ['CONNECT_SECRET alone', shared, 'open'],
    ['CONNECT_SECRET alone', jwt, 401],
    ['CONNECT_JWT_SECRET alone', undefined, 401],
    ['CONNECT_JWT_SECRET alone', shared, 401],
    ['CONNECT_JWT_SECRET alone', jwt, 'jwt'],
    ['CONNECT_JWT_SECRET alone', bad, 401],
    ['both', undefined, 401],
    ['both', shared, 'open'],
    ['both', jwt, 'jwt'],
    ['both', bad, 401],
    ['both', 'wrong', 401],
  ];
  it.each(table)('with %s, a connect with token %s gets %s', async (mix, token, expected) => {
    const config = readAuthConfig(env[mix]);
    const auth = { ...config, secrets: createSecretSource(config) };
    const result = await verdict(auth, query(token, { name: 'from-query' }));
    if (expected === 401) expect(result).toMatchObject({ allowed: false, statusCode: 401 });
    else if (expected === 'open') expect(result).toEqual({ allowed: true });
    else expect(result).toEqual({ allowed: true, name: 'alice', subject: 'user-1' });
  });

  it('refuses a secret given both as a value and as a parameter', () => {
    expect(() =>
      readAuthConfig({ CONNECT_JWT_SECRET: 'x', CONNECT_JWT_SECRET_PARAMETER: '/chat/jwt' }),
    ).toThrow('set CONNECT_JWT_SECRET or CONNECT_JWT_SECRET_PARAMETER, not both');
  });
});
