import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendText } from './http.js';
import type { Log } from './log.js';

type Endpoint = (req: IncomingMessage, res: ServerResponse, param: string) => Promise<void>;

/** The plain HTTP endpoints that share the WebSocket's port. */
export interface HttpRoutes {
  stage: string;
  connectionsApi: Endpoint;
  lambdaApi: Endpoint;
  staticFiles: (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;
  log: Log;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** The `request` listener: `@connections`, Lambda's Invoke, the client files; 404 otherwise. */
export const createRequestListener = (routes: HttpRoutes) => {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const connection = connectionIdIn(pathname, routes.stage);
    if (connection !== undefined) return routes.connectionsApi(req, res, connection);
    const invoked = INVOKE_PATH.exec(pathname)?.[1];
    if (invoked !== undefined && req.method === 'POST') return routes.lambdaApi(req, res, invoked);
    if (await routes.staticFiles(req, res, pathname)) return;
    sendText(res, 404, `Not found: ${req.method} ${pathname}\n`);
  };
  return (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((error: unknown) => {
      routes.log.error(`${req.method} ${req.url} failed:`, error);
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
