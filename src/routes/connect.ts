import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { countCharacters } from '../protocol/characters.js';
import { MAX_SEQ } from '../store/keys.js';
import { authorizeConnect } from './connect-auth.js';
import { ok, type RouteContext, type RouteResult } from './context.js';

// Control characters, and bidirectional overrides that would let a name display as another.
const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;

/** The `$connect` query (SPEC section 2). */
export const ConnectQuery = v.object({
  room: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'room must be 1-64 letters, digits, "_" or "-"'),
    ),
    'general',
  ),
  name: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.check(
        (name) => !CONTROL.test(name),
        'name must not contain control or bidirectional-override characters',
      ),
      v.check((name) => {
        const length = countCharacters(name);
        return length >= 1 && length <= 32;
      }, 'name must be 1-32 characters'),
    ),
  ),
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

export interface ConnectEvent {
  headers?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined> | null;
  requestContext: { connectedAt: number };
}

/** Validates the query, registers the connection and its membership, then starts the replay. */
export const connect = async (event: ConnectEvent, ctx: RouteContext): Promise<RouteResult> => {
  const admitted = await admitConnect(ctx);
  if (admitted !== ok) return admitted;
  const { token, ...query } = event.queryStringParameters ?? {};
  const auth = authorizeConnect(ctx.deps.auth, event.headers, token, ctx.deps.now());
  if (!auth.allowed) {
    ctx.log('info', 'connect_refused', { reason: auth.reason, sourceIp: ctx.sourceIp });
    return { statusCode: auth.statusCode, body: auth.reason };
  }
  const parsed = v.safeParse(ConnectQuery, query);
  if (!parsed.success) {
    const reason = parsed.issues[0]?.message ?? 'invalid query';
    ctx.log('info', 'connect_refused', { reason });
    return { statusCode: 400, body: reason };
  }
  const { room, since } = parsed.output;
  const name =
    auth.name ?? parsed.output.name ?? `anon-${randomBytes(3).toString('hex').slice(0, 4)}`;
  const { connectionId } = ctx;
  await ctx.deps.store.saveConnection({
    connectionId,
    room,
    name,
    connectedAt: event.requestContext.connectedAt,
    ...(auth.subject !== undefined ? { subject: auth.subject } : {}),
  });
  try {
    await ctx.deps.invokeReplay({
      replay: {
        connectionId,
        room,
        connectedAt: event.requestContext.connectedAt,
        sourceIp: ctx.sourceIp,
        ...(since !== undefined ? { since } : {}),
      },
    });
  } catch (error) {
    // The connection still works; the client can ask for history itself.
    ctx.log('error', 'replay_invoke_failed', { room, error: String(error) });
  }
  ctx.log('info', 'connected', { room, resumeFrom: since, sourceIp: ctx.sourceIp });
  return ok;
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
  ctx.log('info', 'connect_refused', { reason: 'source_rate', sourceIp: ctx.sourceIp });
  const perMinute = Math.round(rate.perSecond * 60);
  return {
    statusCode: 429,
    body: `too many new connections from your network (at most ${perMinute} a minute); try again in ${Math.ceil(charged.retryAfterMs / 1000)} s`,
  };
};
