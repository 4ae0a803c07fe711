import type { Context } from 'aws-lambda';
import * as v from 'valibot';
import type { Dispatch, InvocationContext, RouteContext } from '../context.js';
import type { Deps } from '../deps.js';
import { createLogger } from '../log.js';
import { FanoutRequestSchema, ReplayRequestSchema } from '../protocol/invocations.js';
import type { RouteKey } from '../protocol/routes.js';
import { ban } from '../routes/ban.js';
import { connect } from '../routes/connect.js';
import { defaultRoute } from '../routes/default.js';
import { deleteMessage } from '../routes/deletemessage.js';
import { disconnect } from '../routes/disconnect.js';
import { editMessage } from '../routes/editmessage.js';
import { fanoutWorker } from '../routes/fanout.js';
import { history } from '../routes/history.js';
import { kick } from '../routes/kick.js';
import { mute } from '../routes/mute.js';
import { replay } from '../routes/replay.js';
import { roomSettings } from '../routes/roomsettings.js';
import { sendMessage } from '../routes/sendmessage.js';
import { typing } from '../routes/typing.js';
import { unban } from '../routes/unban.js';
import { unmute } from '../routes/unmute.js';
import { who } from '../routes/who.js';
import { isWebSocketEvent, parseBody, type WebSocketEvent } from './event.js';

/** A route: its input, read from the event, and the context built once for the invocation. */
export type Route<I, C extends InvocationContext = RouteContext> = (
  input: I,
  ctx: C,
) => Promise<unknown>;

type Entry = (event: unknown, context: Context, deps: Deps) => Dispatch;

const invocation = (name: string, context: Context, deps: Deps, connectionId?: string) => ({
  deps,
  requestId: context.awsRequestId,
  log: createLogger({ route: name, connectionId, requestId: context.awsRequestId }, deps.logTo),
  remainingMs: () => context.getRemainingTimeInMillis(),
});

/** A route API Gateway invokes, for a connection; its input read from the event. */
const fromClient =
  <I>(input: (event: WebSocketEvent) => I, route: Route<I>): Entry =>
  (event, context, deps) => {
    const { routeKey, connectionId, identity } = (event as WebSocketEvent).requestContext;
    const ctx: RouteContext = {
      ...invocation(routeKey, context, deps, connectionId),
      connectionId,
      sourceIp: identity?.sourceIp ?? 'unknown',
    };
    return { ctx, run: () => route(input(event as WebSocketEvent), ctx) };
  };

/** A route this function invokes itself with, its payload checked against its schema. */
const fromSelf =
  <S extends v.GenericSchema>(
    name: string,
    schema: S,
    route: Route<v.InferOutput<S>, InvocationContext>,
  ): Entry =>
  (event, context, deps) => {
    const ctx = invocation(name, context, deps);
    return { ctx, run: () => route(v.parse(schema, event), ctx) };
  };

/**
 * Every entry point of the function, in one table: the API's route keys, and the two payloads it
 * sends itself. Bodies are parsed only where they exist: on message routes.
 */
const table: Record<RouteKey | 'replay' | 'fanout', Entry> = {
  $connect: fromClient((event) => event, connect),
  $disconnect: fromClient(() => undefined, disconnect),
  sendmessage: fromClient(parseBody, sendMessage),
  history: fromClient(parseBody, history),
  editmessage: fromClient(parseBody, editMessage),
  deletemessage: fromClient(parseBody, deleteMessage),
  who: fromClient(parseBody, who),
  typing: fromClient(parseBody, typing),
  kick: fromClient(parseBody, kick),
  ban: fromClient(parseBody, ban),
  unban: fromClient(parseBody, unban),
  mute: fromClient(parseBody, mute),
  unmute: fromClient(parseBody, unmute),
  roomsettings: fromClient(parseBody, roomSettings),
  $default: fromClient(parseBody, defaultRoute),
  replay: fromSelf('replay', ReplayRequestSchema, replay),
  fanout: fromSelf('fanout', FanoutRequestSchema, fanoutWorker),
};

/** A route key the table does not hold: answered like `$default` on messages, 404 otherwise. */
const notFound = fromClient(
  (event) => event,
  async (event, ctx) => {
    ctx.log('warn', 'route_not_found');
    if (event.requestContext.eventType === 'MESSAGE') return defaultRoute(parseBody(event), ctx);
    return { statusCode: 404 };
  },
);

/** An event's key: an API Gateway event's `routeKey`, or the function's own payload's key. */
export const entryKeyOf = (event: unknown): string =>
  isWebSocketEvent(event)
    ? event.requestContext.routeKey
    : (event as { fanout?: unknown })?.fanout !== undefined
      ? 'fanout'
      : 'replay';

/** The route an event is counted under in the metrics: a key of the table, else `unknown`. */
export const metricsRouteOf = (event: unknown) => {
  const key = entryKeyOf(event);
  return Object.hasOwn(table, key) ? key : 'unknown';
};

/**
 * The entry an event selects by its key (own keys only: `__proto__` or `constructor` can never
 * select one).
 */
export const dispatch = (event: unknown, context: Context, deps: Deps): Dispatch => {
  const key = entryKeyOf(event);
  const entry = Object.hasOwn(table, key) ? table[key as keyof typeof table] : notFound;
  return entry(event, context, deps);
};
