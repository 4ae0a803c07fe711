import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayId } from './ids.js';

/** A request body, or `undefined` once it grows past `limit` bytes (the rest is discarded). */
export const readBody = (req: IncomingMessage, limit: number): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : undefined));
    req.on('error', reject);
  });

/**
 * An AWS JSON-protocol answer. Errors carry their type in `x-amzn-ErrorType`, which is what the
 * SDK reads to name the exception (`GoneException`, `PayloadTooLargeException`, ...).
 */
export const sendAws = (
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': gatewayId(),
    ...headers,
  });
  res.end(text);
};

/** An AWS error: status, `x-amzn-ErrorType` header and a JSON body. */
export const sendAwsError = (
  res: ServerResponse,
  status: number,
  errorType: string,
  body: Record<string, unknown>,
) => sendAws(res, status, body, { 'x-amzn-ErrorType': errorType });

/**
 * A 200 with a body that is never cached (a page, its data), and none for a HEAD; `headers` add
 * to the common ones.
 */
export const sendFresh = (
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  body: Buffer,
  headers: Record<string, string> = {},
) => {
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
};

/** A plain-text answer for people (404s and the like); `headers` add to the common ones. */
export const sendText = (
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) => {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
};
