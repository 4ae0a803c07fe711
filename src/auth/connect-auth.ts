import { createHash, timingSafeEqual } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import {
  type ConnectSecrets,
  type SecretSource,
  SecretUnavailableError,
} from '../outbound/secret-parameters.js';
import { checkName } from '../protocol/names.js';
import type { OriginGate } from './allowed-origins.js';
import { type ConnectHeaders, tokenFrom } from './connect-protocol.js';
import type { ModeratorAuthors } from './moderators.js';
import { checkRoomsClaim, type RoomsClaim } from './room-claims.js';

/** Clock skew allowed between the token's issuer and us, for `exp` and `nbf`. */
export const CLOCK_TOLERANCE_SECONDS = 30;

/** The `$connect` gates; with no secret configured, anyone may connect. */
export interface ConnectAuth {
  /** The secrets, from the environment or SSM (read once per container); absent: none. */
  secrets?: SecretSource | undefined;
  /** When set, a JWT must carry this `aud`. */
  jwtAudience?: string | undefined;
  /** When set, a JWT must carry this `iss`. */
  jwtIssuer?: string | undefined;
  /** Which browser origins may connect; requests without an Origin (wscat, servers) pass. */
  origins?: OriginGate | undefined;
  /**
   * The authors of the keys in `MODERATOR_KEYS`: a connection without a JWT whose key is one of
   * them may moderate every room. Absent: no such keys.
   */
  moderators?: ModeratorAuthors | undefined;
}

/**
 * A `name` means the token decided the display name, and `?name=` is ignored; a JWT always
 * gives its `subject`, which owns what the connection sends, and `rooms` when it carries that
 * claim (what it may do in which room; absent: read and send everywhere).
 */
export type AuthResult =
  | { allowed: true; name?: string; subject?: string; rooms?: RoomsClaim }
  | { allowed: false; statusCode: 400 | 401 | 403 | 503; reason: string; detail?: string };

export interface AuthEvent extends ConnectHeaders {
  queryStringParameters?: Record<string, string | undefined> | null;
}

const refused = (reason: string): AuthResult => ({ allowed: false, statusCode: 401, reason });

// Equal-length digests, so the comparison takes the same time whatever the token's length.
const sameSecret = (token: string, secret: string) =>
  timingSafeEqual(
    createHash('sha256').update(token).digest(),
    createHash('sha256').update(secret).digest(),
  );

/** Why jose refused a token, in words for the client; never the token or its claims. */
const jwtRefusal = (error: unknown): string => {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return `the token must carry an "${error.claim}" claim`;
    if (error.reason === 'invalid') return `the token's "${error.claim}" claim is not valid`;
    if (error.claim === 'nbf') return 'the token is not valid yet (nbf)';
    if (error.claim === 'aud') return 'the token is not meant for this chat (aud)';
    if (error.claim === 'iss') return 'the token is not from the expected issuer (iss)';
    return `the token's "${error.claim}" claim is not valid`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token must be signed with HS256';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature is not valid';
  return 'the token is not a valid JWT';
};

/**
 * Verifies an HS256 JWT (signature, required `exp` and `sub`, `nbf`, optional `aud`/`iss`), its
 * name and its optional `rooms` claim. `sub` is required: it is who owns the connection's
 * messages, and a name (a label anyone may take) must never stand in for it.
 */
export const verifyJwt = async (
  token: string,
  secret: string,
  auth: Pick<ConnectAuth, 'jwtAudience' | 'jwtIssuer'>,
  now: number,
): Promise<AuthResult> => {
  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      currentDate: new Date(now),
      ...(auth.jwtAudience ? { audience: auth.jwtAudience } : {}),
      ...(auth.jwtIssuer ? { issuer: auth.jwtIssuer } : {}),
    }));
  } catch (error) {
    return refused(jwtRefusal(error));
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') {
    return refused('the token must carry a "sub" claim saying who the user is');
  }
  if (typeof claims.name !== 'string') return refused('the token must carry a name claim');
  const name = checkName(claims.name);
  if (!name.ok) return refused(`the token's name claim is not allowed: ${name.reason}`);
  if (claims.rooms === undefined) return { allowed: true, name: name.name, subject: claims.sub };
  const rooms = checkRoomsClaim(claims.rooms);
  if (!rooms.ok) return refused(rooms.reason);
  return { allowed: true, name: name.name, subject: claims.sub, rooms: rooms.rooms };
};

const checkToken = (
  token: string | undefined,
  secrets: ConnectSecrets,
  auth: ConnectAuth,
  now: number,
): AuthResult | Promise<AuthResult> => {
  if (token === undefined) {
    return refused('a token is required: offer it as the "token." subprotocol beside "chat"');
  }
  // The shared secret is for trusted service clients; their name comes from `?name=`.
  if (secrets.sharedSecret && sameSecret(token, secrets.sharedSecret)) return { allowed: true };
  if (secrets.jwtSecret) return verifyJwt(token, secrets.jwtSecret, auth, now);
  return refused('the token is not valid');
};

const originOf = (headers: Record<string, string | undefined> | undefined) =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === 'origin')?.[1];

/**
 * The first `$connect` gate: a browser page's Origin must be on the allow-list. It comes before
 * the network's connect budget is charged, so a page elsewhere cannot make its visitors'
 * browsers use up their network's budget; it costs no write (the SSM-backed list is read at
 * most once a minute per container).
 */
export const checkOrigin = async (auth: ConnectAuth, event: AuthEvent): Promise<AuthResult> => {
  const origin = originOf(event.headers);
  const verdict = origin === undefined ? undefined : await auth.origins?.(origin);
  if (verdict === 'refused') {
    return { allowed: false, statusCode: 403, reason: 'origin not allowed' };
  }
  if (verdict === 'unavailable') {
    const reason = 'the origin check is unavailable; try again later';
    return { allowed: false, statusCode: 503, reason, detail: 'cannot read the allowed origins' };
  }
  return { allowed: true };
};

/**
 * The token gate, before anything is stored: a shared secret, a JWT, or either when both are
 * set, offered only as the `token.` subprotocol. A token in the query is refused, auth on or
 * off: query strings end up in access logs and browser history. A secret that cannot be read
 * refuses with 503, never lets the connection in unchecked.
 */
export const authorizeToken = async (
  auth: ConnectAuth,
  event: AuthEvent,
  now: number,
): Promise<AuthResult> => {
  if (event.queryStringParameters?.token !== undefined) {
    const reason =
      'a token in the query is refused: offer it as the "token." subprotocol beside "chat"';
    return { allowed: false, statusCode: 400, reason };
  }
  let secrets: ConnectSecrets;
  try {
    secrets = (await auth.secrets?.()) ?? {};
  } catch (error) {
    if (!(error instanceof SecretUnavailableError)) throw error;
    const reason = 'authentication is unavailable; try again later';
    return { allowed: false, statusCode: 503, reason, detail: error.message };
  }
  if (!secrets.sharedSecret && !secrets.jwtSecret) return { allowed: true };
  const transport = tokenFrom(event);
  if (!transport.ok) return refused(transport.reason);
  return checkToken(transport.token, secrets, auth, now);
};
