// The sign-in token arrives in the fragment (#token=…), which browsers never send to a server,
// leaves the address bar at once, and lives in sessionStorage: this tab only, gone when it closes.
// It goes to the server as a WebSocket subprotocol (never in a URL, where access logs keep it).

import { base64url } from './key.js';

const TOKEN_KEY = 'chat:token';

const tokenStore = {
  get() {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string) {
    try {
      sessionStorage.setItem(TOKEN_KEY, token);
    } catch {
      // kept in memory only
    }
  },
};

/** The token from the fragment (taken out of the address bar), else the one this tab kept. */
export const takeToken = (): string | null => {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const given = fragment.get('token');
  if (given === null) return tokenStore.get();
  fragment.delete('token');
  const url = new URL(location.href);
  url.hash = fragment.toString();
  history.replaceState(history.state, '', url);
  if (!given) return tokenStore.get();
  tokenStore.set(given);
  return given;
};

/** What the socket offers: `chat`, the token (when signed in) and the page's key. */
export const subprotocols = (token: string | null, key: string) => [
  'chat',
  ...(token ? [`token.${base64url(new TextEncoder().encode(token))}`] : []),
  `key.${key}`,
];

/** A JWT's claims, read without checking anything (the server does): for its name and expiry. */
export const tokenClaims = (token: string | null): Record<string, unknown> | null => {
  const part = token?.split('.')[1];
  if (!part) return null;
  try {
    const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const claims: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))),
    );
    return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** Whether the token says it has expired (a token without `exp` never does). */
export const tokenExpired = (token: string | null) => {
  const exp = tokenClaims(token)?.exp;
  return typeof exp === 'number' && exp * 1000 <= Date.now();
};
