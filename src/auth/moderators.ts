import { decodeKey } from './connect-protocol.js';
import { authorOf, type KeyedHash } from './identity.js';

/** The authors of the moderator keys (`MODERATOR_KEYS`), made once per container. */
export type ModeratorAuthors = () => Promise<ReadonlySet<string>>;

/**
 * The configured moderator keys (base64url, as `MODERATOR_KEYS` lists them), each checked.
 * A key that is not 32 bytes of base64url is a configuration error: the reason says which one,
 * never what it holds.
 */
export const parseModeratorKeys = (text: string | undefined): string[] => {
  const keys = (text ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  keys.forEach((key, at) => {
    if (decodeKey(key) === undefined) {
      throw new Error(
        `MODERATOR_KEYS: key ${at + 1} is not a key (base64url of 32 bytes without padding, 43 characters)`,
      );
    }
  });
  return keys;
};

/**
 * The moderator keys' authors, hashed on first use like a connection's key: a connection is a
 * moderator when its author is one of them, and the keys themselves are let go once hashed.
 * A failed hash (the pepper unreadable) is tried again next time. None configured: undefined.
 */
export const moderatorAuthors = (
  keys: readonly string[],
  hash: KeyedHash,
): ModeratorAuthors | undefined => {
  if (keys.length === 0) return undefined;
  let unhashed: readonly string[] = keys;
  let authors: Promise<ReadonlySet<string>> | undefined;
  const hashAll = async () => {
    const made = new Set(
      await Promise.all(unhashed.map((key) => authorOf({ key: decodeKey(key) }, hash))),
    );
    unhashed = [];
    return made;
  };
  return () => {
    authors ??= hashAll().catch((error: unknown) => {
      authors = undefined;
      throw error;
    });
    return authors;
  };
};
