import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendFresh, sendText } from './http.js';

/**
 * The browser client: `client.html` at `/` and `/client.html`, and `/config.json` pointing it at
 * this emulator's WebSocket URL (on AWS, `infra/` deploys the same file beside it). No other file
 * is served: the page lives at the repository's top level, beside everything else.
 */
export const createStaticFiles =
  (clientPage: string, wsUrl: () => string) =>
  async (req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (pathname === '/config.json') {
      const text = JSON.stringify({ webSocketUrl: wsUrl() });
      sendFresh(req, res, 'application/json', Buffer.from(text));
      return true;
    }
    if (pathname !== '/' && pathname !== '/client.html') return false;
    try {
      sendFresh(req, res, 'text/html; charset=utf-8', await readFile(clientPage));
    } catch {
      sendText(
        res,
        404,
        `There is no browser client yet: ${clientPage} does not exist.\n` +
          `The chat works without it: connect with\n` +
          `  npx wscat -c "${wsUrl()}/?room=general&name=alice"\n`,
      );
    }
    return true;
  };
