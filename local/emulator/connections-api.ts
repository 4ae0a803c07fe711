import type { IncomingMessage, ServerResponse } from 'node:http';
import { GATEWAY_POST_BYTES } from '../../src/protocol/limits.js';
import { CLOSE, closeConnection, markActive, type Registry } from './connections.js';
import { readBody, sendAws, sendAwsError } from './http.js';
import type { Log } from './log.js';

/**
 * The `@connections` management API, at `/@connections/{id}` and `/{stage}/@connections/{id}`.
 * Any SigV4 signature is accepted; nothing is verified. Only this machine gets here
 * (`caller-guard.ts`).
 */
export const createConnectionsApi =
  (registry: Registry, log: Log) =>
  async (req: IncomingMessage, res: ServerResponse, encodedId: string) => {
    // Read (a bounded amount of) the body first, so the socket can be reused afterwards.
    const body = req.method === 'POST' ? await readBody(req, GATEWAY_POST_BYTES) : Buffer.alloc(0);
    const connectionId = decodeId(encodedId);
    if (body === undefined) {
      sendAwsError(res, 413, 'PayloadTooLargeException', {
        message: `Request entity too large: the limit is ${GATEWAY_POST_BYTES} bytes`,
      });
      return;
    }
    const connection = connectionId === undefined ? undefined : registry.get(connectionId);
    const socket = connection?.socket;
    // Before `$connect` has returned, and after the connection closed, the id is simply gone.
    if (connection?.state !== 'open' || connection.closing || !socket) {
      log.info(`${req.method} @connections/${connectionId ?? encodedId} -> 410 GoneException`);
      sendAwsError(res, 410, 'GoneException', { message: null });
      return;
    }
    switch (req.method) {
      case 'POST':
        // Always a text frame, whatever the bytes are.
        socket.send(body, { binary: false });
        markActive(connection);
        sendAws(res, 200);
        return;
      case 'GET':
        sendAws(res, 200, {
          connectedAt: new Date(connection.facts.connectedAt).toISOString(),
          identity: connection.facts.identity,
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
        return;
      case 'DELETE':
        closeConnection(connection, CLOSE.deleted);
        res.writeHead(204).end();
        return;
      default:
        sendAwsError(res, 405, 'MethodNotAllowedException', { message: 'Method not allowed' });
    }
  };

const decodeId = (encoded: string) => {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
};
