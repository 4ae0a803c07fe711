import { createHash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './lean-post.js';
import { createSigner } from './sigv4.js';

/** The hand-written signer must produce the SDK signer's exact headers. */
export async function compareSigners() {
  const credentials = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    sessionToken: 'token/with+chars=',
  };
  const date = new Date('2026-11-25T13:30:00.123Z');
  const rows = [];
  for (const [path, token] of [
    ['/prod/@connections/ZzS8MeY_IAMCKXQ%3D', true],
    ['/@connections/a-b_c%3D', false],
  ] as const) {
    const creds = token ? credentials : { ...credentials, sessionToken: undefined };
    const sdk = new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials: token
        ? credentials
        : { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
      sha256: Sha256 as never,
    });
    const payloadHash = createHash('sha256').update('{"x":1}').digest('hex');
    const host = 'abc123defg.execute-api.eu-west-1.amazonaws.com';
    const expected = await sdk.sign(
      {
        method: 'POST',
        protocol: 'https:',
        hostname: host,
        path,
        query: {},
        headers: { host, 'x-amz-content-sha256': payloadHash },
      },
      { signingDate: date },
    );
    const own = createSigner(
      creds,
      'eu-west-1',
      'execute-api',
    )({ method: 'POST', host, path, payloadHash, date });
    rows.push({
      path,
      'session token': token,
      'same authorization': own.authorization === expected.headers.authorization,
    });
  }
  return rows;
}
