import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

export interface SignInput {
  method: string;
  host: string;
  /** The path as sent, already percent-encoded once (`/stage/@connections/abc%3D`). */
  path: string;
  /** Hex SHA-256 of the body. */
  payloadHash: string;
  date: Date;
}

/** encodeURIComponent plus the characters RFC 3986 reserves and it leaves alone (as the SDK's `escapeUri`). */
const escapeUri = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * AWS Signature Version 4 for one request with no query string, signing `host`,
 * `x-amz-content-sha256`, `x-amz-date` (and `x-amz-security-token` with temporary credentials).
 * The signing key is derived once per day; a request costs one SHA-256 and one HMAC. The canonical
 * path is escaped a second time, as the SDK does for every service but S3.
 */
export const createSigner = (credentials: Credentials, region: string, service: string) => {
  let keyDay = '';
  let key: KeyObject | undefined;
  const signingKey = (day: string) => {
    if (day !== keyDay) {
      let k: Buffer = createHmac('sha256', `AWS4${credentials.secretAccessKey}`)
        .update(day)
        .digest();
      for (const part of [region, service, 'aws4_request'])
        k = createHmac('sha256', k).update(part).digest();
      // A KeyObject, made once: an HMAC keyed with a raw Buffer costs ~5x more per request.
      key = createSecretKey(k);
      keyDay = day;
    }
    return key as KeyObject;
  };
  const token = credentials.sessionToken;
  const signedHeaders = `host;x-amz-content-sha256;x-amz-date${token ? ';x-amz-security-token' : ''}`;
  return ({ method, host, path, payloadHash, date }: SignInput): Record<string, string> => {
    const longDate = date
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
      .replace(/[-:]/g, '');
    const day = longDate.slice(0, 8);
    const scope = `${day}/${region}/${service}/aws4_request`;
    const canonicalPath = escapeUri(path).replace(/%2F/g, '/');
    const canonicalHeaders =
      `host:${host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${longDate}\n` +
      (token ? `x-amz-security-token:${token}\n` : '');
    const canonical = `${method}\n${canonicalPath}\n\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${longDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
    const signature = createHmac('sha256', signingKey(day)).update(stringToSign).digest('hex');
    return {
      host,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': longDate,
      ...(token ? { 'x-amz-security-token': token } : {}),
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
  };
};
