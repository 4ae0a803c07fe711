import { randomBytes } from 'node:crypto';
import { keyProtocol, tokenProtocol } from '../../src/protocol/subprotocol.js';

/** A key as the page makes one: 32 random bytes. */
export const newKey = () => randomBytes(32);

/** The subprotocols a page offers with its key (and its token, when it has one). */
export const keyProtocols = (key: Uint8Array, token?: string) => [
  'chat',
  keyProtocol(key),
  ...(token === undefined ? [] : [tokenProtocol(token)]),
];

/** `connectEvent` options offering `key` (and `token`) as the page does. */
export const offeringKey = (key: Uint8Array, token?: string) => ({
  headers: { 'Sec-WebSocket-Protocol': keyProtocols(key, token).join(', ') },
});
