import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { authorizeToken, checkOrigin } from '../auth/connect-auth.js';
import { acceptedProtocol, type ConnectHeaders } from '../auth/connect-protocol.js';
import { firstIssue } from '../protocol/issues.js';
import { NameSchema } from '../protocol/names.js';
import { ok, type RouteContext, type RouteResult } from '../router/context.js';
import type { Seating } from '../store/index.js';
import { MAX_SEQ, networkOf } from '../store/keys.js';

/** The `$connect` query (SPEC section 2). */
export const ConnectQuery = v.object({
  room: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'room must be 1-64 letters, digits, "_" or "-"'),
    ),
    'general',
  ),
  name: v.optional(NameSchema),
  since: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,12}$/, 'since must be a whole number of at least 0'),
      v.transform(Number),
      v.maxValue(MAX_SEQ, 'since is too large'),
    ),
  ),
});

export type ConnectInput = v.InferOutput<typeof ConnectQuery>;

export interface ConnectEvent extends ConnectHeaders {
  queryStringParameters?: Record<string, string | undefined> | null;
}

// A 5xx is our fault (a secret that cannot be read): an error for the operator, not client noise.
const refuse = (ctx: RouteContext, statusCode: number, reason: string, detail?: string) => {
  const level = statusCode >= 500 ? 'error' : 'info';
  ctx.log(level, 'connect_refused', {
    statusCode,
    reason,
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
 * Checks the origin, charges the network's connect budget, checks the token and the query,
 * registers the connection and its membership under the socket and room caps, starts the
 * replay. The origin comes first: a refused page must not spend its visitors' network budget.
 */
export const connect = async (event: ConnectEvent, ctx: RouteContext): Promise<RouteResult> => {
  const origin = await checkOrigin(ctx.deps.auth, event);
  if (!origin.allowed) return refuse(ctx, origin.statusCode, origin.reason, origin.detail);
  const admitted = await admitConnect(ctx);
  if (admitted !== ok) return admitted;
  const auth = await authorizeToken(ctx.deps.auth, event, ctx.deps.now());
  if (!auth.allowed) return refuse(ctx, auth.statusCode, auth.reason, auth.detail);
  const parsed = v.safeParse(ConnectQuery, queryOf(event, auth.name !== undefined));
  if (!parsed.success) return refuse(ctx, 400, firstIssue(parsed.issues));
  const { room, since } = parsed.output;
  const name =
    auth.name ?? parsed.output.name ?? `anon-${randomBytes(3).toString('hex').slice(0, 4)}`;
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
    },
    { networkSockets: sourceSockets, roomMembers },
  );
  if (seating.outcome === 'full') {
    const full = fullRefusal(seating, room);
    return refuse(ctx, full.statusCode, full.reason);
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
