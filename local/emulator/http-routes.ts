import type { IncomingMessage, ServerResponse } from 'node:http';
import { browserForgery, type Forgery } from './forgery-guard.js';
import type { HostGuard } from './host-guard.js';
import { sendAwsError, sendText } from './http.js';
import type { Log } from './log.js';

type Endpoint = (req: IncomingMessage, res: ServerResponse, param: string) => Promise<void>;

/** The plain HTTP endpoints that share the WebSocket's port. */
export interface HttpRoutes {
  stage: string;
  connectionsApi: Endpoint;
  lambdaApi: Endpoint;
  staticFiles: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  /** The live metrics dashboard, `/dashboard` and its data. */
  dashboard: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  hostGuard: HostGuard;
  /** Why a caller of the two APIs is refused for where it called from (see `caller-guard.ts`). */
  callerGuard: (req: IncomingMessage) => Forgery | undefined;
  log: Log;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * The `request` listener: `@connections`, Lambda's Invoke, the client files, the dashboard; 404
 * otherwise. A foreign `Host` is refused everywhere; the two APIs refuse other machines, then what
 * a web page could send, before reading a byte of the body.
 */
export const createRequestListener = (routes: HttpRoutes) => {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const misdirected = routes.hostGuard.refusal(req.headers.host);
    if (misdirected) return sendText(res, 421, misdirected);
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const connection = connectionIdIn(pathname, routes.stage);
    const invoked = req.method === 'POST' ? INVOKE_PATH.exec(pathname)?.[1] : undefined;
    const api = (connection ?? invoked) !== undefined;
    const forged = api ? (routes.callerGuard(req) ?? browserForgery(req)) : undefined;
    if (forged) {
      routes.log.info(`${req.method} ${pathname} -> ${forged.status} ${forged.errorType}`);
      return sendAwsError(res, forged.status, forged.errorType, { message: forged.message });
    }
    if (connection !== undefined) return routes.connectionsApi(req, res, connection);
    if (invoked !== undefined) return routes.lambdaApi(req, res, invoked);
    if (await routes.staticFiles(req, res, pathname)) return;
    if (await routes.dashboard(req, res, pathname)) return;
    sendText(res, 404, `Not found: ${req.method} ${pathname}\n`);
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      // The path only: a query string may carry a token.
      const { pathname } = new URL(req.url ?? '/', 'http://localhost');
      routes.log.error(`${req.method} ${pathname} failed:`, error);
      if (!res.headersSent) sendText(res, 500, 'Internal emulator error\n');
      else res.destroy();
    });
  };
};

/** The id in `/@connections/{id}` or `/{stage}/@connections/{id}`, still URL-encoded. */
const connectionIdIn = (pathname: string, stage: string) => {
  const match = /^(?:\/([^/]+))?\/@connections\/([^/]+)$/.exec(pathname);
  if (!match || (match[1] !== undefined && match[1] !== stage)) return undefined;
  return match[2];
};
