/** Host names that reach this machine's loopback whatever DNS says: never a rebinding target. */
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** Which `Host` headers the emulator answers, and the browser origins that follow from them. */
export interface HostGuard {
  /** Why a request with this `Host` header is refused (for people), or undefined to let it in. */
  refusal(host: string | undefined): string | undefined;
  /** The origins of the pages this emulator serves, on `port`: what `ALLOWED_ORIGINS` defaults to. */
  origins(port: number): string[];
}

/**
 * A DNS-rebinding guard: a page at `http://evil.example:3001` whose name the attacker re-points at
 * 127.0.0.1 is same-origin with the emulator in the browser's eyes, but its requests carry
 * `Host: evil.example:3001`. Only loopback names and `allowedHosts` (`name` for any port, or
 * `name:port`) get through.
 */
export const createHostGuard = (allowedHosts: readonly string[]): HostGuard => {
  const extra = [...new Set(allowedHosts.map((host) => host.trim().toLowerCase()))].filter(
    (host) => host && !LOOPBACK_HOSTS.includes(host),
  );
  const allowed = (host: string) => {
    const name = host.replace(/:\d+$/, '');
    return LOOPBACK_HOSTS.includes(name) || extra.includes(name) || extra.includes(host);
  };
  return {
    refusal: (header) => {
      const host = header?.trim().toLowerCase();
      if (host && allowed(host)) return undefined;
      return (
        `Refused: Host "${header ?? ''}" is not a name this local emulator answers to ` +
        `(${[...LOOPBACK_HOSTS, ...extra].join(', ')}), so this may be a DNS-rebinding page. ` +
        'To reach it by another name on purpose, start it with --allow-host NAME.\n'
      );
    },
    origins: (port) =>
      [...LOOPBACK_HOSTS, ...extra].map((host) =>
        /:\d+$/.test(host) ? `http://${host}` : `http://${host}:${port}`,
      ),
  };
};
