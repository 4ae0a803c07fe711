import { randomBytes } from 'node:crypto';

/**
 * An id shaped like API Gateway's connection, request and message ids (`ZzS8MeY_IAMCKXQ=`):
 * 11 random bytes in URL-safe base64 plus the trailing `=` AWS ids carry. Callers must still
 * URL-encode it in a path, as the SDK does (`=` becomes `%3D`).
 */
export const gatewayId = () => `${randomBytes(11).toString('base64url')}=`;

/** A 10-character lowercase API id, like the `abc123defg` in `abc123defg.execute-api...`. */
export const apiId = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(10), (byte) => alphabet[byte % alphabet.length]).join('');
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `requestContext.requestTime` in API Gateway's access-log format: `22/Nov/2026:10:00:00 +0000`. */
export const requestTime = (epochMs: number) => {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}`;
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
  return `${date}:${time} +0000`;
};
