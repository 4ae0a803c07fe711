import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * The headers `@smithy/signature-v4` (the signer the SDK's clients use) signs for the
 * `@connections` post or DELETE `src/outbound/signed-post.ts` sends: the reference the own signer
 * must match. A DELETE has no payload.
 */
export const sdkSign = async (request: {
  keys: AwsCredentialIdentity;
  region: string;
  url: URL;
  path: string;
  payload: Buffer | undefined;
  date: Date;
}) => {
  const { keys, region, url, path, payload, date } = request;
  const signer = new SignatureV4({
    service: 'execute-api',
    region,
    credentials: keys,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: payload ? 'POST' : 'DELETE',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path,
      query: {},
      // The SDK client's headers for `PostToConnectionCommand` (`DeleteConnectionCommand`: no
      // content headers, no body), in its order, less its telemetry.
      headers: payload
        ? {
            'content-type': 'application/octet-stream',
            'content-length': String(payload.length),
            host: url.host,
          }
        : { host: url.host },
      ...(payload ? { body: payload } : {}),
    },
    { signingDate: date },
  );
  return signed.headers;
};
