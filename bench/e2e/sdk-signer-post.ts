import { createHash, createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';

/** node:crypto behind the checksum interface `@smithy/signature-v4` expects (an HMAC when keyed). */
class Sha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', secret);
  }
  update(data: Uint8Array) {
    this.hash.update(data);
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

/**
 * The poster `src/outbound` shipped before its own signer: `@smithy/signature-v4` signing each
 * post (credentials from the SDK's default provider chain), over keep-alive `node:http`. For comparison only.
 */
export const sdkSignerPost = (endpoint: string, maxSockets: number) => {
  const base = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets });
  const signer = new SignatureV4({
    service: 'execute-api',
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: defaultProvider(),
    sha256: Sha256 as never,
  });
  const prefix = base.pathname.replace(/\/$/, '');
  return async (connectionId: string, data: string) => {
    const payload = Buffer.from(data);
    const signed = await signer.sign({
      method: 'POST',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path: `${prefix}/@connections/${encodeURIComponent(connectionId)}`,
      query: {},
      headers: { host: base.host, 'content-length': String(payload.length) },
      body: payload,
    });
    await new Promise<void>((resolve, reject) => {
      const req = request(
        { agent, method: 'POST', host: base.hostname, port: base.port, path: signed.path },
        (res) => {
          res.resume();
          res.on('end', () =>
            (res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`)),
          );
        },
      );
      for (const [name, value] of Object.entries(signed.headers)) req.setHeader(name, value);
      req.on('error', reject);
      req.end(payload);
    });
  };
};
