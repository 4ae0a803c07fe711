import { createHmac, timingSafeEqual } from 'node:crypto';

/** Optional gates on `$connect`; all off unless configured. */
export interface ConnectAuth {
  /** A shared secret the client passes as `?token=`. */
  sharedSecret?: string | undefined;
  /** The HS256 key of JWTs the client passes as `?token=`; a `name` claim becomes its name. */
  jwtSecret?: string | undefined;
  /** Browser origins allowed to connect; requests without an Origin (wscat, servers) pass. */
  allowedOrigins?: readonly string[] | undefined;
}

export type AuthResult =
  | { allowed: true; name?: string; subject?: string }
  | { allowed: false; statusCode: 401 | 403; reason: string };

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

const header = (headers: Record<string, string | undefined> | undefined, name: string) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

/** Verifies an HS256 JWT and its `exp`/`nbf`; returns its claims, or undefined. */
export const verifyJwt = (token: string, secret: string, nowSeconds: number) => {
  const [head, body, signature] = token.split('.');
  if (!head || !body || !signature) return undefined;
  try {
    const header = JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'HS256') return undefined;
    const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
    if (!sameText(signature, expected)) return undefined;
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    if (typeof claims.exp === 'number' && claims.exp <= nowSeconds) return undefined;
    if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return undefined;
    return claims;
  } catch {
    return undefined;
  }
};

/** Checks the Origin allow-list and the token, before anything is stored. */
export const authorizeConnect = (
  auth: ConnectAuth,
  headers: Record<string, string | undefined> | undefined,
  token: string | undefined,
  now: number,
): AuthResult => {
  const origin = header(headers, 'origin');
  if (
    auth.allowedOrigins?.length &&
    origin !== undefined &&
    !auth.allowedOrigins.includes(origin)
  ) {
    return { allowed: false, statusCode: 403, reason: 'origin not allowed' };
  }
  if (auth.sharedSecret) {
    if (token === undefined || !sameText(token, auth.sharedSecret)) {
      return { allowed: false, statusCode: 401, reason: 'a valid token is required' };
    }
  }
  if (auth.jwtSecret) {
    const claims = token === undefined ? undefined : verifyJwt(token, auth.jwtSecret, now / 1000);
    if (!claims) return { allowed: false, statusCode: 401, reason: 'a valid token is required' };
    return {
      allowed: true,
      ...(typeof claims.name === 'string' ? { name: claims.name } : {}),
      ...(typeof claims.sub === 'string' ? { subject: claims.sub } : {}),
    };
  }
  return { allowed: true };
};
