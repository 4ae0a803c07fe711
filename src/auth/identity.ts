import { randomBytes } from 'node:crypto';
import { KEY_BYTES } from '../protocol/subprotocol.js';
import { USER_ID_LENGTH } from '../protocol/user-id.js';

/**
 * Who a connection is (docs/identity-and-moderation.md, "Identity is a key"): its author, which
 * owns what it sends and is never sent to anyone, and its public `userId`, cut from a keyed hash
 * of the author. Both are made with the store's keyed hash (HMAC-SHA256 under the deployment's
 * pepper), so neither a key nor a `sub` can be read back out of them.
 */

/** HMAC-SHA256 under the deployment's pepper, base64url (the store's `keyedHash`). */
export type KeyedHash = (data: string | Uint8Array) => Promise<string>;

/** Hex characters of an anonymous name after `anon-`: 64 random bits. */
const ANON_HEX_CHARS = 16;

/**
 * The author of a connection: `sub:` + the verified token's subject; otherwise `key:` + the
 * keyed hash of its key, or of a fresh random key when it offered none (an identity for this
 * connection only: nothing it sends can be edited from another).
 */
export const authorOf = async (
  proof: { subject?: string | undefined; key?: Uint8Array | undefined },
  hash: KeyedHash,
): Promise<string> => {
  if (proof.subject !== undefined) return `sub:${proof.subject}`;
  return `key:${await hash(proof.key ?? randomBytes(KEY_BYTES))}`;
};

/**
 * The public id of an author: the first 16 base64url characters of HMAC-SHA256(pepper,
 * `user:` + author). Stable for a key or a `sub` across connections and rooms; the `user:`
 * prefix keeps it apart from every other keyed hash the store makes.
 */
export const userIdOf = async (author: string, hash: KeyedHash): Promise<string> =>
  (await hash(`user:${author}`)).slice(0, USER_ID_LENGTH);

/** A name for a connection that gave none: `anon-` and 64 random bits in hex. */
export const anonymousName = () => `anon-${randomBytes(ANON_HEX_CHARS / 2).toString('hex')}`;
