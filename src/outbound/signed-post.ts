import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { cachedCredentials } from './cached-credentials.js';
import { createSigner, type SignInput, sha256Hex } from './sigv4.js';

export interface SignedRequestOptions {
  /** Sockets kept alive to the endpoint: the broadcast's concurrency. */
  maxSockets: number;
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** A request stuck this long fails (and is retried by the caller). */
  timeoutMs?: number;
  /** The signing clock; tests fix it. */
  now?: () => Date;
}

/** An error shaped like the SDK's service errors: a name and the HTTP status. */
const serviceError = (status: number, type: string | undefined, body: string) =>
  Object.assign(new Error(body || `HTTP ${status}`), {
    name: type?.split(':')[0] || `Http${status}Error`,
    $metadata: { httpStatusCode: status },
  });

/** Signed requests to paths under one endpoint; an error answer rejects with its status. */
export interface SignedRequests {
  post(path: string, body: string): Promise<void>;
  delete(path: string): Promise<void>;
}

/** The hash of an empty body, which a DELETE signs. */
const EMPTY_HASH = sha256Hex('');

/**
 * POSTs bodies (as `application/octet-stream`) and sends DELETEs to paths under `endpoint`,
 * SigV4-signed for `execute-api` (`sigv4.ts`: the same headers `@smithy/signature-v4` gives, at
 * about a third of its CPU), over keep-alive sockets: for a `@connections` path, the request the
 * SDK client's `PostToConnectionCommand` (or `DeleteConnectionCommand`) sends, byte for byte but
 * its telemetry headers (`user-agent`, `x-amz-user-agent`, `amz-sdk-invocation-id`,
 * `amz-sdk-request`) and with a stage's trailing slash dropped (the SDK client keeps it:
 * `/prod//@connections/…`).
 * Credentials come from the SDK's default provider chain, resolved once and again before they
 * expire; a body posted again (a broadcast posts one frame to every member) is hashed once.
 */
export const createSignedRequests = (
  endpoint: string,
  options: SignedRequestOptions,
): SignedRequests => {
  const base = new URL(endpoint);
  const secure = base.protocol === 'https:';
  const agent = new (secure ? HttpsAgent : HttpAgent)({
    keepAlive: true,
    maxSockets: options.maxSockets,
  });
  const request = secure ? httpsRequest : httpRequest;
  const sign = createSigner(options.region ?? process.env.AWS_REGION ?? 'us-east-1', 'execute-api');
  const now = options.now ?? (() => new Date());
  const credentials = cachedCredentials(options.credentials ?? defaultProvider(), () =>
    now().getTime(),
  );
  const basePath = base.pathname.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;
  let last = { body: '', payload: Buffer.alloc(0), hash: EMPTY_HASH };

  /** Sends one signed request: a POST with its payload, or a DELETE without a body. */
  const send = async (path: string, payload?: { bytes: Buffer; hash: string }): Promise<void> => {
    const fullPath = `${basePath}${path}`;
    const target = { host: base.host, path: fullPath, date: now() };
    const input: SignInput = payload
      ? {
          ...target,
          method: 'POST',
          contentLength: payload.bytes.length,
          payloadHash: payload.hash,
        }
      : { ...target, method: 'DELETE', payloadHash: EMPTY_HASH };
    const headers = sign(await credentials(), input);
    const { method } = input;
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, method, host: base.hostname, port: base.port, path: fullPath, headers },
        (response) => {
          response.on('error', reject);
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            response.resume().on('end', resolve);
            return;
          }
          // Only an error answer's body is read: it explains the error.
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const type = response.headers['x-amzn-errortype'];
            const body = Buffer.concat(chunks).toString();
            reject(serviceError(status, Array.isArray(type) ? type[0] : type, body));
          });
        },
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' }),
        ),
      );
      req.on('error', reject);
      if (payload) req.end(payload.bytes);
      else req.end();
    });
  };

  return {
    post: (path, body) => {
      if (body !== last.body) {
        const payload = Buffer.from(body);
        last = { body, payload, hash: sha256Hex(payload) };
      }
      return send(path, { bytes: last.payload, hash: last.hash });
    },
    delete: (path) => send(path),
  };
};
