// Which server: the one in config.json beside the page (always there on the deployed site and
// from npm start), and then ?url= is ignored: a link must not point the real page at another
// server, hand it queued drafts or show that server's text under this origin. Only a page
// without config.json (opened as a file, or served without one) takes ?url=, and only to its
// own host:port or to this computer (127.0.0.1, localhost).

const NO_SERVER =
  'This page does not know which chat server to use. Open it from the chat server ' +
  '(npm start prints its address), or add ?url=ws://127.0.0.1:port to the address ' +
  '(a server on this computer or on this page’s own host).';
// Hosts a page without config.json may be pointed at with ?url=, beside its own host:port.
// (The meta CSP's connect-src allows the same ones: 'self' and these with ws://.)
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** The chat server this page talks to, and whether its own config.json named it. */
export interface Server {
  wsUrl: string;
  fromConfig: boolean;
}

const wsAddress = (value: unknown, where: string) => {
  let url: URL | null;
  try {
    url = new URL(String(value), location.href);
  } catch {
    url = null;
  }
  if (url?.protocol !== 'ws:' && url?.protocol !== 'wss:') {
    throw new Error(`The address in ${where} must start with ws:// or wss:// (it is “${value}”).`);
  }
  return url;
};

const loadConfig = async () => {
  if (location.protocol === 'file:') return null;
  let response: Response;
  try {
    response = await fetch('./config.json', { cache: 'no-store' });
  } catch {
    throw new Error(
      'Could not load this page’s settings (config.json). Check your connection, then try again.',
    );
  }
  if (response.status === 404) return null;
  if (!response.ok) {
    throw new Error(
      `Could not load this page’s settings (config.json answered ${response.status}). Try again in a moment.`,
    );
  }
  try {
    const config = (await response.json()) as Record<string, unknown>;
    return wsAddress(config.webSocketUrl, 'config.json');
  } catch (error) {
    throw new Error(
      error instanceof SyntaxError
        ? 'This page’s config.json is not valid JSON.'
        : (error as Error).message,
    );
  }
};

/** The server to use, and whether a `?url=` was given and ignored; throws what to tell the user. */
export const resolveServer = async (
  params: URLSearchParams,
): Promise<Server & { ignored: boolean }> => {
  const given = params.get('url');
  const fromConfig = await loadConfig();
  if (fromConfig) return { wsUrl: fromConfig.href, fromConfig: true, ignored: Boolean(given) };
  if (!given) throw new Error(NO_SERVER);
  const url = wsAddress(given, '?url=');
  if (url.host !== location.host && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new Error(
      `?url= may only point at a chat server on this computer (127.0.0.1 or localhost) or on this page’s own host, not at “${url.host}”.`,
    );
  }
  return { wsUrl: url.href, fromConfig: false, ignored: false };
};
