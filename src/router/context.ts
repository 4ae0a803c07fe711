import type { Deps } from '../deps.js';
import type { Logger } from '../log.js';

/** What every route gets besides its input: its dependencies and this invocation's facts. */
export interface RouteContext {
  deps: Deps;
  connectionId: string;
  /** The client's address as API Gateway saw it (`identity.sourceIp`). */
  sourceIp: string;
  requestId: string;
  log: Logger;
  remainingMs: () => number;
}

/** The HTTP-style result API Gateway expects from a WebSocket route integration. */
export interface RouteResult {
  statusCode: number;
  body?: string;
  headers?: Record<string, string>;
}

export const ok: RouteResult = { statusCode: 200 };

/** Reads the first issue's message from a failed valibot parse. */
export const firstIssue = (issues: readonly { message: string }[]) =>
  issues[0]?.message ?? 'invalid input';
