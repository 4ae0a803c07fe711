import { createHash, createHmac } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ConnectionsApi } from '../../src/gateway/connections-api.js';
import { type Credentials, createSigner } from './sigv4.js';

/** node:crypto behind the checksum interface the SDK's signer expects (HMAC when keyed). */
export class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: string | Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

type Sign = (path: string, payloadHash: string) => Promise<Record<string, string>>;

const envCredentials = (): Credentials => ({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '',
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '',
  sessionToken: process.env.AWS_SESSION_TOKEN,
});

/** Signs with the SDK's own `SignatureV4` (what the SDK client does, minus its middleware). */
export const sdkSigner = (host: string): Sign => {
  const { sessionToken, ...keys } = envCredentials();
  const signer = new SignatureV4({
    service: 'execute-api',
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: { ...keys, ...(sessionToken ? { sessionToken } : {}) },
    sha256: Sha256 as never,
  });
  return async (path, payloadHash) => {
    const [hostname, port] = host.split(':');
    const signed = await signer.sign({
      method: 'POST',
      protocol: 'https:',
      hostname: hostname ?? host,
      ...(port ? { port: Number(port) } : {}),
      path,
      query: {},
      headers: { host, 'x-amz-content-sha256': payloadHash },
    });
    return signed.headers;
  };
};

/** Signs with the hand-written signer (one SHA-256 and one HMAC a request). */
export const fastSigner = (host: string): Sign => {
  const sign = createSigner(envCredentials(), process.env.AWS_REGION ?? 'us-east-1', 'execute-api');
  return async (path, payloadHash) =>
    sign({ method: 'POST', host, path, payloadHash, date: new Date() });
};

/**
 * A `@connections` poster without the SDK client's middleware stack: a SigV4 signer, the frame's
 * payload hash computed once per frame (a broadcast posts the same frame to everyone), and
 * keep-alive `node:http(s)`. Errors carry `name` and `$metadata.httpStatusCode` like the SDK's,
 * so `classifyPostError` reads them alike. A sketch of a faster `createConnectionsApi`.
 */
export const createLeanPoster = (
  endpoint: string,
  maxSockets: number,
  signerFor: (host: string) => Sign = fastSigner,
): ConnectionsApi => {
  const base = new URL(endpoint);
  const https = base.protocol === 'https:';
  const options = { keepAlive: true, maxSockets };
  const agent = https ? new HttpsAgent(options) : new HttpAgent(options);
  const send = https ? httpsRequest : httpRequest;
  const sign = signerFor(base.host);
  const prefix = base.pathname.replace(/\/$/, '');
  let last = { frame: '', body: Buffer.alloc(0), hash: '' };
  return {
    post: async (connectionId, data) => {
      if (data !== last.frame) {
        const body = Buffer.from(data);
        last = { frame: data, body, hash: createHash('sha256').update(body).digest('hex') };
      }
      const { body, hash } = last;
      const path = `${prefix}/@connections/${encodeURIComponent(connectionId)}`;
      const headers = { ...(await sign(path, hash)), 'content-length': String(body.length) };
      await new Promise<void>((resolve, reject) => {
        const req = send(
          { method: 'POST', hostname: base.hostname, port: base.port, path, headers, agent },
          (res) => {
            res.resume();
            res.on('end', () => {
              const status = res.statusCode ?? 0;
              if (status >= 200 && status < 300) return resolve();
              const name = String(res.headers['x-amzn-errortype'] ?? `Http${status}`).split(
                ':',
              )[0] as string;
              reject(
                Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } }),
              );
            });
          },
        );
        req.setTimeout(5_000, () =>
          req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
        );
        req.on('error', reject);
        req.end(body);
      });
    },
  };
};
