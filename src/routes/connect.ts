import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { authorizeConnect } from '../auth/connect-auth.js';
import { acceptedProtocol, type ConnectHeaders } from '../auth/connect-protocol.js';
import { firstIssue } from '../protocol/issues.js';
import { NameSchema } from '../protocol/names.js';
import { ok, type RouteContext, type RouteResult } from '../router/context.js';
import { MAX_SEQ } from '../store/keys.js';

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

/** Authorizes, validates the query, registers the connection and its membership, starts the replay. */
export const connect = async (event: ConnectEvent, ctx: RouteContext): Promise<RouteResult> => {
  const admitted = await admitConnect(ctx);
  if (admitted !== ok) return admitted;
  const auth = await authorizeConnect(ctx.deps.auth, event, ctx.deps.now());
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
  await ctx.deps.store.saveConnection({
    connectionId,
    room,
    name,
    connectedAt,
    ...(auth.subject !== undefined ? { subject: auth.subject } : {}),
  });
  try {
    await ctx.deps.invokeReplay({
      replay: {
        connectionId,
        room,
        connectedAt,
        sourceIp: ctx.sourceIp,
        name,
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

/** Charges the source network's connect budget, before anything else is checked or stored. */
const admitConnect = async (ctx: RouteContext): Promise<RouteResult> => {
  const rate = ctx.deps.limits.sourceConnects;
  if (!rate) return ok;
  const charged = await ctx.deps.store.chargeSource(
    ctx.sourceIp,
    { budget: 'connects', rate },
    ctx.deps.now(),
  );
  if (charged.outcome === 'admitted') return ok;
  const perMinute = Math.round(rate.perSecond * 60);
  const wait = Math.ceil(charged.retryAfterMs / 1000);
  return refuse(
    ctx,
    429,
    `too many new connections from your network (at most ${perMinute} a minute); try again in ${wait} s`,
  );
};
