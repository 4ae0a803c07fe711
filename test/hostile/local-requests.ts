/**
 * Requests a web page the developer visits can make to `npm start`
 * (docs/security.md#the-local-stack: the emulator is the developer's own machine), and what the
 * emulator must answer. `{victim}` is a live connection's id.
 */
import { crossSite } from '../local/fixtures/raw-http.js';
import { connectEvent, sendFrame } from '../support/events.js';

export interface ForgedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the emulator answers instead of acting on it. */
  status: 403 | 421;
}

const INVOKE = '/2015-03-31/functions/chat-local/invocations';
/** A connection the page makes up, in a room it makes up. */
const FORGED_ID = 'Forged1234567A=';
export const FORGED_ROOM = 'forged';
const forgedConnect = JSON.stringify(
  connectEvent(FORGED_ID, { room: FORGED_ROOM, name: 'mallory' }),
);
const forgedSend = JSON.stringify(sendFrame(FORGED_ID, { message: 'sent by a web page' }));
const rebinding = { Host: 'evil.example:3001', Origin: 'http://evil.example:3001' };
const signedLooking = {
  Authorization:
    'AWS4-HMAC-SHA256 Credential=local/20261126/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=00',
};

export const localRequestCorpus: [string, ForgedRequest][] = [
  [
    'a cross-site text/plain POST to Invoke forging $connect',
    { method: 'POST', path: INVOKE, headers: crossSite(), body: forgedConnect, status: 403 },
  ],
  [
    'a cross-site text/plain POST to Invoke forging sendmessage',
    { method: 'POST', path: INVOKE, headers: crossSite(), body: forgedSend, status: 403 },
  ],
  [
    'the same POST from a sandboxed frame (Origin: null)',
    { method: 'POST', path: INVOKE, headers: crossSite('null'), body: forgedSend, status: 403 },
  ],
  [
    'a POST to Invoke with no Origin and no signature (a form whose Origin was stripped)',
    {
      method: 'POST',
      path: INVOKE,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: forgedSend,
      status: 403,
    },
  ],
  [
    "a cross-site text/plain POST to @connections, into a victim's socket",
    {
      method: 'POST',
      path: '/local/@connections/{victim}',
      headers: crossSite(),
      body: '{"type":"message","text":"injected"}',
      status: 403,
    },
  ],
  [
    "a cross-site POST to @connections without the stage, into a victim's socket",
    {
      method: 'POST',
      path: '/@connections/{victim}',
      headers: crossSite(),
      body: '{"type":"message","text":"injected"}',
      status: 403,
    },
  ],
  [
    "a page's DELETE of a victim's connection",
    { method: 'DELETE', path: '/local/@connections/{victim}', headers: crossSite(), status: 403 },
  ],
  [
    "a DNS-rebinding page's signed-looking POST to Invoke",
    {
      method: 'POST',
      path: INVOKE,
      headers: { ...rebinding, ...signedLooking },
      body: forgedSend,
      status: 421,
    },
  ],
  [
    "a DNS-rebinding page's POST to @connections",
    {
      method: 'POST',
      path: '/local/@connections/{victim}',
      headers: { ...rebinding, ...signedLooking },
      body: 'injected',
      status: 421,
    },
  ],
  [
    'a DNS-rebinding page reading config.json',
    { method: 'GET', path: '/config.json', headers: rebinding, status: 421 },
  ],
];
