import { randomBytes } from 'node:crypto';
import * as v from 'valibot';
import { NameSchema } from '../protocol/names.js';
import { MAX_SEQ } from '../store/keys.js';
import { authorizeConnect } from './connect-auth.js';
import { acceptedProtocol, type ConnectHeaders } from './connect-protocol.js';
import { firstIssue, type RouteContext, type RouteResult } from './context.js';

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
  requestContext: { connectedAt: number };
}

const refuse = (ctx: RouteContext, statusCode: number, reason: string, detail?: string) => {
  ctx.log('info', 'connect_refused', { statusCode, reason, ...(detail ? { detail } : {}) });
  return { statusCode, body: reason };
};

/** The query to validate; `token` is auth's, and a token's name replaces `?name=` entirely. */
const queryOf = (event: ConnectEvent, nameFromToken: boolean) => {
  const { token: _token, name, ...rest } = event.queryStringParameters ?? {};
  return nameFromToken || name === undefined ? rest : { ...rest, name };
};

/** Authorizes, validates the query, registers the connection and its membership, starts the replay. */
export const connect = async (event: ConnectEvent, ctx: RouteContext): Promise<RouteResult> => {
  const auth = await authorizeConnect(ctx.deps.auth, event, ctx.deps.now());
  if (!auth.allowed) return refuse(ctx, auth.statusCode, auth.reason, auth.detail);
  const parsed = v.safeParse(ConnectQuery, queryOf(event, auth.name !== undefined));
  if (!parsed.success) return refuse(ctx, 400, firstIssue(parsed.issues));
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
      replay: { connectionId, room, ...(since !== undefined ? { since } : {}) },
    });
  } catch (error) {
    // The connection still works; the client can ask for history itself.
    ctx.log('error', 'replay_invoke_failed', { room, error: String(error) });
  }
  ctx.log('info', 'connected', { room, resumeFrom: since });
  return { statusCode: 200, ...acceptedProtocol(event) };
};
