import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { Sha256 } from './sha256.js';

export interface SignedPostOptions {
  /** Sockets kept alive to the endpoint: the broadcast's concurrency. */
  maxSockets: number;
  region?: string;
  credentials?: AwsCredentialIdentityProvider;
  /** A post stuck this long fails (and is retried by the caller). */
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

/**
 * POSTs bodies to paths under `endpoint`, signed with the SDK's own SigV4 signer for
 * `execute-api`, over keep-alive sockets. The SDK client did the same with about 2.4 times the
 * CPU per request (its middleware stack), which bounded how fast one invocation could fan out.
 */
export const createSignedPost = (endpoint: string, options: SignedPostOptions) => {
  const base = new URL(endpoint);
  const secure = base.protocol === 'https:';
  const agent = new (secure ? HttpsAgent : HttpAgent)({
    keepAlive: true,
    maxSockets: options.maxSockets,
  });
  const request = secure ? httpsRequest : httpRequest;
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  const basePath = base.pathname.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 5_000;

  return async (path: string, body: string): Promise<void> => {
    const payload = Buffer.from(body);
    const signed = await signer.sign(
      {
        method: 'POST',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path: `${basePath}${path}`,
        query: {},
        headers: { host: base.host, 'content-length': String(payload.length) },
        body: payload,
      },
      options.now ? { signingDate: options.now() } : {},
    );
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(
        {
          agent,
          method: 'POST',
          host: base.hostname,
          port: base.port,
          path: signed.path,
          headers: signed.headers,
        },
        resolve,
      );
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' }),
        ),
      );
      req.on('error', reject);
      req.end(payload);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const status = response.statusCode ?? 0;
    if (status >= 200 && status < 300) return;
    const type = response.headers['x-amzn-errortype'];
    throw serviceError(
      status,
      Array.isArray(type) ? type[0] : type,
      Buffer.concat(chunks).toString(),
    );
  };
};
