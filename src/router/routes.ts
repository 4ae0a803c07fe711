import { connect } from '../routes/connect.js';
import { defaultRoute } from '../routes/default.js';
import { disconnect } from '../routes/disconnect.js';
import { history } from '../routes/history.js';
import { sendMessage } from '../routes/sendmessage.js';
import type { RouteContext, RouteResult } from './context.js';
import { parseBody, type WebSocketEvent } from './event.js';

type Route = (event: WebSocketEvent, ctx: RouteContext) => Promise<RouteResult>;

/** Route key to route. Bodies are parsed only where they exist: on message routes. */
const table: Record<string, Route> = {
  $connect: (event, ctx) => connect(event, ctx),
  $disconnect: (_event, ctx) => disconnect(ctx),
  sendmessage: (event, ctx) => sendMessage(parseBody(event), ctx),
  history: (event, ctx) => history(parseBody(event), ctx),
  $default: (event, ctx) => defaultRoute(parseBody(event), ctx),
};

/** A route key the table does not hold: answered like `$default` on messages, 404 otherwise. */
const notFound: Route = async (event, ctx) => {
  ctx.log('warn', 'route_not_found');
  if (event.requestContext.eventType === 'MESSAGE') return defaultRoute(parseBody(event), ctx);
  return { statusCode: 404 };
};

// Own keys only: `__proto__` or `constructor` can never select a handler.
export const selectRoute = (routeKey: string): Route =>
  Object.hasOwn(table, routeKey) ? (table[routeKey] as Route) : notFound;
