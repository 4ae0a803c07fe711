import type { Context } from 'aws-lambda';
import type { Deps } from './deps.js';
import type { Logger } from './log.js';

/** What every route gets besides its input: its dependencies and this invocation's facts. */
export interface InvocationContext {
  deps: Deps;
  requestId: string;
  log: Logger;
  remainingMs: () => number;
}

/** A route reached through API Gateway also knows the connection that sent the event. */
export interface RouteContext extends InvocationContext {
  connectionId: string;
  /** The client's address as API Gateway saw it (`identity.sourceIp`). */
  sourceIp: string;
}

/** What posting to a room needs of an invocation: its dependencies, log and remaining time. */
export type PostingContext = Pick<InvocationContext, 'deps' | 'log' | 'remainingMs'>;

export const isRouteContext = (ctx: InvocationContext): ctx is RouteContext =>
  'connectionId' in ctx;

/** The HTTP-style result API Gateway expects from a WebSocket route integration. */
export interface RouteResult {
  statusCode: number;
  body?: string;
  headers?: Record<string, string>;
}

export const ok: RouteResult = { statusCode: 200 };

/** What the route table gives the handler: the invocation's context, and the route's call. */
export interface Dispatch {
  ctx: InvocationContext | RouteContext;
  run: () => Promise<unknown>;
}

/** Lambda's context, carrying the invocation's dispatch once it is built, and when it began. */
export type HandlerContext = Context & { dispatch?: Dispatch; startedAt?: number };
