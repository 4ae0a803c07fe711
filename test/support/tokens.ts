import { createHmac } from 'node:crypto';
import { tokenProtocol } from '../../src/protocol/subprotocol.js';

/**
 * An HS256 JWT signed by hand, so a test can sign claims no well-behaved issuer would
 * (`exp: "1"`, no `exp`, another `alg`).
 */
export const signJwt = (claims: Record<string, unknown>, secret: string, alg = 'HS256') => {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

/** Seconds since the epoch, `offset` seconds from now: for `exp`, `nbf` and `iat`. */
export const epochSeconds = (offset = 0, now = Date.now()) => Math.floor(now / 1000) + offset;

/**
 * `connectEvent` options that offer `token` as a browser does: the `chat` subprotocol and the
 * `token.` one (the only place a token is accepted).
 */
export const offeringToken = (token: string) => ({
  headers: { 'Sec-WebSocket-Protocol': `chat, ${tokenProtocol(token)}` },
});
