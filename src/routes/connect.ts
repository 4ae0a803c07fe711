import * as v from 'valibot';
import { type AuthResult, authorizeToken, checkOrigin } from '../auth/connect-auth.js';
import { acceptedProtocol, type ConnectHeaders, keyFrom } from '../auth/connect-protocol.js';
import { anonymousName, authorOf, userIdOf } from '../auth/identity.js';
import { capabilitiesOf } from '../auth/room-access.js';
import { ok, type RouteContext, type RouteResult } from '../context.js';
import { banRefusal, MODERATION_MAX_AGE_MS } from '../moderation/restrictions.js';
import { SecretUnavailableError } from '../outbound/secret-parameters.js';
import type { Capability } from '../protocol/capabilities.js';
import { ConnectQuery } from '../protocol/connect-query.js';
import { firstIssue } from '../protocol/issues.js';
import { networkOf, type Seating } from '../store/index.js';

export interface ConnectEvent extends ConnectHeaders {
  queryStringParameters?: Record<string, string | undefined> | null;
}

// A 5xx is our fault (a secret that cannot be read): an error for the operator, not client noise.
const refuse = (
  ctx: RouteContext,
  statusCode: number,
  reason: string,
  detail?: string,
  logged: string = reason,
) => {
  const level = statusCode >= 500 ? 'error' : 'info';
  ctx.log(level, 'connect_refused', {
    statusCode,
    reason: logged,
    sourceIp: ctx.sourceIp,
    ...(detail ? { detail } : {}),
  });
  return { statusCode, body: reason };
};

/** The query to validate; `token` is auth's, and a token's name replaces `?name=` entirely. */
const queryOf = (event: ConnectEvent, nameFromToken: boolean) => {
  const { token: _token, name, ...rest } = event.queryStringParameters ?? {};
  return nameFromToken || name === undefined ? rest : { ...rest, name };
};

/**
 * Checks the origin, charges the network's connect budget, checks the token, the key and the
 * query, makes the connection's identity and refuses it a room it may not read, registers the
 * connection and its membership under the socket and room caps, starts the replay. The origin
 * comes first: a refused page must not spend its visitors' network budget.
 */
export const connect = async (event: ConnectEvent, ctx: RouteContext): Promise<RouteResult> => {
  const origin = await checkOrigin(ctx.deps.auth, event);
  if (!origin.allowed) return refuse(ctx, origin.statusCode, origin.reason, origin.detail);
  const admitted = await admitConnect(ctx);
  if (admitted !== ok) return admitted;
  const auth = await authorizeToken(ctx.deps.auth, event, ctx.deps.now());
  if (!auth.allowed) return refuse(ctx, auth.statusCode, auth.reason, auth.detail);
  const offeredKey = keyFrom(event);
  if (!offeredKey.ok) return refuse(ctx, 400, offeredKey.reason);
  const parsed = v.safeParse(ConnectQuery, queryOf(event, auth.name !== undefined));
  if (!parsed.success) return refuse(ctx, 400, firstIssue(parsed.issues));
  const { room, since } = parsed.output;
  const name = auth.name ?? parsed.output.name ?? anonymousName();
  const identity = await identify(ctx, auth, offeredKey.key, room);
  if (!identity.ok) return refuse(ctx, 503, identity.reason, identity.detail);
  if (!identity.capabilities.includes('read')) {
    return refuse(ctx, 403, `you may not read room ${JSON.stringify(room)}`);
  }
  const fresh = { maxAgeMs: MODERATION_MAX_AGE_MS };
  const banned = await banRefusal(ctx, room, identity.userId, fresh);
  // The ban's reason is a moderator's words: the client reads them, the log never holds them.
  if (banned) return refuse(ctx, 403, banned, undefined, 'banned');
  const { connectionId } = ctx;
  // Counted from here, not from the gateway's `connectedAt`: API Gateway refuses posts to the
  // connection until this returns, so a slow cold start must not use up its arrival window.
  const connectedAt = ctx.deps.now();
  const { sourceSockets, roomMembers } = ctx.deps.limits;
  const seating = await ctx.deps.store.saveConnection(
    {
      connectionId,
      room,
      name,
      connectedAt,
      network: networkOf(ctx.sourceIp),
      ...(auth.subject !== undefined ? { subject: auth.subject } : {}),
      author: identity.author,
      userId: identity.userId,
      capabilities: identity.capabilities,
    },
    { networkSockets: sourceSockets, roomMembers },
  );
  if (seating.outcome === 'full') {
    const full = fullRefusal(seating, room);
    return refuse(ctx, full.statusCode, full.reason);
  }
  // Read again, afresh, now that the member is listed: a ban lists the room's members only once
  // it is stored, so a ban applied meanwhile either found this member (and closes it) or is
  // stored already and seen here. Checked before the replay: a refused connection gets nothing.
  const bannedSince = await banRefusal(ctx, room, identity.userId);
  if (bannedSince) {
    await ctx.deps.store.removeConnection(connectionId, room);
    return refuse(ctx, 403, bannedSince);
  }
  try {
    await ctx.deps.invokeReplay({
      replay: {
        connectionId,
        room,
        connectedAt,
        ...(since !== undefined ? { since } : {}),
      },
    });
  } catch (error) {
    // The connection still works; the client can ask for history itself.
    ctx.log('error', 'replay_invoke_failed', { room, error: String(error) });
  }
  ctx.log('info', 'connected', { room, resumeFrom: since, sourceIp: ctx.sourceIp });
  return { statusCode: 200, ...acceptedProtocol(event) };
};

/**
 * Who the connection is and what it may do in `room`: its author (the token's `sub`; with
 * none, the keyed hash of the key it offered, or of a fresh one), its public id, and its
 * capabilities. The key is ignored with a JWT and never kept. A pepper that cannot be read
 * refuses the connection (503): an identity made without it could not be made again.
 */
const identify = async (
  ctx: RouteContext,
  auth: Extract<AuthResult, { allowed: true }>,
  key: Buffer | undefined,
  room: string,
): Promise<
  | { ok: true; author: string; userId: string; capabilities: readonly Capability[] }
  | { ok: false; reason: string; detail: string }
> => {
  const hash = ctx.deps.store.keyedHash;
  try {
    const author = await authorOf({ subject: auth.subject, key }, hash);
    const [userId, capabilities] = await Promise.all([
      userIdOf(author, hash),
      capabilitiesOf(
        { author, subject: auth.subject, rooms: auth.rooms },
        room,
        ctx.deps.auth.moderators,
      ),
    ]);
    return { ok: true, author, userId, capabilities };
  } catch (error) {
    if (!(error instanceof SecretUnavailableError)) throw error;
    return { ok: false, reason: 'the chat is unavailable; try again later', detail: error.message };
  }
};

/**
 * A full network answers 429 (too many from one client: it can close some); a full room 409
 * (a state of the room, not of who asks, so not 403, which says "not allowed" and is the
 * origin's refusal; it may clear as members leave).
 */
const fullRefusal = (full: Extract<Seating, { outcome: 'full' }>, room: string) =>
  full.seat === 'room'
    ? { statusCode: 409, reason: `room "${room}" is full (${full.max} members)` }
    : {
        statusCode: 429,
        reason: `too many open connections from your network (at most ${full.max} at once per network); close some and try again`,
      };

/** Charges the source network's connect budget, before the token is checked or anything stored. */
const admitConnect = async (ctx: RouteContext): Promise<RouteResult> => {
  const { store, limits, now } = ctx.deps;
  const rate = limits.sourceConnects;
  const at = now();
  const blocked = (ms: number) =>
    refuse(
      ctx,
      429,
      `a connection from your network was cut off for flooding; try again in ${Math.ceil(ms / 1000)} s`,
    );
  if (!rate) {
    // No connect budget to charge: a block on the network (budgets/flood.ts) costs a read.
    const until = limits.flood?.block && (await store.sourceBlockedUntil(ctx.sourceIp, at));
    return until ? blocked(until - at) : ok;
  }
  // The write that charges the budget also refuses a blocked network, at no extra cost.
  const charged = await store.chargeSource(ctx.sourceIp, { budget: 'connects', rate }, at);
  if (charged.outcome === 'admitted') return ok;
  if (charged.blocked) return blocked(charged.retryAfterMs);
  const perMinute = Math.round(rate.perSecond * 60);
  const wait = Math.ceil(charged.retryAfterMs / 1000);
  return refuse(
    ctx,
    429,
    `too many new connections from your network (at most ${perMinute} a minute); try again in ${wait} s`,
  );
};
