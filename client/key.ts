// The page's key: what makes its user the author of their messages without an account. Made
// once per browser (32 random bytes), kept in localStorage so a reload is still its author, and
// offered to the server as the `key.<base64url>` subprotocol, which the server keeps only a
// keyed hash of. Anyone who reads it may act as this user, so it goes nowhere else.

const KEY_STORAGE = 'chat.key';
const KEY_BYTES = 32;
/** The key made by this tab, for when storage refuses to keep it. */
let madeHere: string | null = null;

/** Bytes as base64url without padding. */
export const base64url = (bytes: Uint8Array) =>
  btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** Whether a stored key is one the server takes: exactly 32 bytes in canonical base64url. */
const isKey = (text: string) => {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return false;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return base64url(Uint8Array.from(binary, (c) => c.charCodeAt(0))) === text;
};

/**
 * The key kept in this browser, made (and kept) now if there is none: one for this tab's
 * lifetime when storage is refused.
 */
export const ownKey = (): string => {
  let kept: string | null = null;
  try {
    kept = localStorage.getItem(KEY_STORAGE);
  } catch {
    // storage refused: a key for this tab's lifetime
  }
  if (kept !== null && isKey(kept)) return kept;
  madeHere ??= base64url(crypto.getRandomValues(new Uint8Array(KEY_BYTES)));
  try {
    localStorage.setItem(KEY_STORAGE, madeHere);
  } catch {
    // kept in memory only
  }
  return madeHere;
};
