import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { AwsCredentialIdentity } from '@smithy/types';

/**
 * One request with no query string, as `signed-post.ts` sends it: a POST with a binary body, or
 * a DELETE with none.
 */
export type SignInput = {
  /** The `Host` header: hostname, and `:port` when not the default. */
  host: string;
  /** The path as sent, already percent-encoded once (`/prod/@connections/abc%3D`). */
  path: string;
  /** Hex SHA-256 of the body (of the empty string for a DELETE). */
  payloadHash: string;
  date: Date;
} & ({ method: 'POST'; contentLength: number } | { method: 'DELETE' });

/** SHA-256 in hex, as the `x-amz-content-sha256` header carries it. */
export const sha256Hex = (data: string | Uint8Array) =>
  createHash('sha256').update(data).digest('hex');

/**
 * `encodeURIComponent` plus the characters RFC 3986 reserves and it leaves alone: the SDK's
 * `escapeUri` (the signer's) and `extendedEncodeURIComponent` (its clients', for a path label).
 */
export const escapeUri = (text: string) =>
  encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/**
 * The canonical path as the SDK builds it for every service but S3: empty and `.` segments
 * dropped, `..` resolved, then escaped a second time (the path is sent escaped once).
 */
const canonicalPath = (path: string) => {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${trailing}`;
  return escapeUri(normalized).replace(/%2F/g, '/');
};

/** A header value as SigV4 canonicalizes it (line breaks and runs of blanks become one space). */
const canonicalValue = (value: string) =>
  value
    .replace(/[\r\n]/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .replace(/^ | $/g, '');

/** `20261125T133000Z`, formatted once per second. */
const longDates = () => {
  let second = Number.NaN;
  let text = '';
  return (date: Date) => {
    const now = Math.floor(date.getTime() / 1000);
    if (now !== second) {
      text = date
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z')
        .replace(/[-:]/g, '');
      second = now;
    }
    return text;
  };
};

/** The body's type, as the SDK client's `PostToConnectionCommand` sends it (a blob payload). */
const CONTENT_TYPE = 'application/octet-stream';
/**
 * Every header sent but `authorization`, sorted: the SDK signs all but its unsignable few. A
 * DELETE (`DeleteConnectionCommand`) has no body, and so neither content header.
 */
const SIGNED = {
  POST: 'content-length;content-type;host;x-amz-content-sha256;x-amz-date',
  DELETE: 'host;x-amz-content-sha256;x-amz-date',
};

/**
 * AWS Signature Version 4 for POSTs of a binary body, signing `content-length`, `content-type`
 * (`application/octet-stream`), `host`, `x-amz-content-sha256`, `x-amz-date` (and
 * `x-amz-security-token` with temporary credentials), and for DELETEs, signing the same but the
 * content headers: the headers, in the order and with the values `@smithy/signature-v4` gives for
 * the same request (test/outbound/sigv4.test.ts checks this on random requests), which are the SDK
 * client's `PostToConnectionCommand` and `DeleteConnectionCommand` requests' but their telemetry
 * (test/outbound/signed-post-matches-sdk.test.ts). The signing key is derived once per
 * day per credentials and kept as a `KeyObject`, so a request costs one SHA-256 and one HMAC.
 */
export const createSigner = (region: string, service: string) => {
  let current:
    | { credentials: AwsCredentialIdentity; token: string | undefined; canonicalToken: string }
    | undefined;
  let signing: { day: string; key: KeyObject } | undefined;
  /** What depends on the credentials alone, worked out once per credentials. */
  const prepare = (credentials: AwsCredentialIdentity) => {
    if (current?.credentials !== credentials) {
      if (
        typeof credentials.accessKeyId !== 'string' ||
        typeof credentials.secretAccessKey !== 'string'
      )
        throw new Error('Resolved credential object is not valid');
      const token = credentials.sessionToken || undefined;
      current = { credentials, token, canonicalToken: token ? canonicalValue(token) : '' };
      signing = undefined;
    }
    return current;
  };
  const signingKey = (secretAccessKey: string, day: string) => {
    if (signing?.day !== day) {
      let key = createHmac('sha256', `AWS4${secretAccessKey}`).update(day).digest();
      for (const part of [region, service, 'aws4_request'])
        key = createHmac('sha256', key).update(part).digest();
      // A KeyObject, made once: an HMAC keyed with a raw buffer costs ~5x more per request.
      signing = { day, key: createSecretKey(key) };
    }
    return signing.key;
  };
  const longDate = longDates();

  return (credentials: AwsCredentialIdentity, input: SignInput): Record<string, string> => {
    const { token, canonicalToken } = prepare(credentials);
    const { method, host, path, payloadHash } = input;
    const contentLength = input.method === 'POST' ? String(input.contentLength) : undefined;
    const stamp = longDate(input.date);
    const day = stamp.slice(0, 8);
    const scope = `${day}/${region}/${service}/aws4_request`;
    const signedHeaders = `${SIGNED[method]}${token ? ';x-amz-security-token' : ''}`;
    const canonicalRequest =
      `${method}\n${canonicalPath(path)}\n\n` +
      (contentLength === undefined
        ? ''
        : `content-length:${contentLength}\ncontent-type:${CONTENT_TYPE}\n`) +
      `host:${canonicalValue(host)}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${stamp}\n` +
      (token ? `x-amz-security-token:${canonicalToken}\n` : '') +
      `\n${signedHeaders}\n${payloadHash}`;
    const stringToSign = `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    const signature = createHmac('sha256', signingKey(credentials.secretAccessKey, day))
      .update(stringToSign)
      .digest('hex');
    return {
      ...(contentLength === undefined
        ? {}
        : { 'content-type': CONTENT_TYPE, 'content-length': contentLength }),
      host,
      'x-amz-date': stamp,
      ...(token ? { 'x-amz-security-token': token } : {}),
      'x-amz-content-sha256': payloadHash,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
  };
};
