import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import type { Forgery } from './forgery-guard.js';

/** Whether an address is this machine's loopback: 127.0.0.0/8, ::1, or IPv4's written as IPv6. */
export const isLoopback = (address: string | undefined) => {
  const ip = address?.toLowerCase().replace(/^::ffff:/, '') ?? '';
  return ip === '::1' || (isIPv4(ip) && ip.startsWith('127.'));
};

/**
 * Who may call the Lambda `Invoke` and `@connections` endpoints: this machine only, which is
 * where the handler runs. Nothing checks their SigV4 signatures, so with `--host 0.0.0.0` anyone
 * on the network could otherwise invoke a forged route event with a victim's connection id, a
 * forged `{fanout}`, or post into anyone's socket; the page and the WebSocket stay open to them.
 * The socket's peer address is what the TCP handshake proved, unlike any header. The handler
 * reaches the emulator at its loopback URL; bound to one other address (`--host 192.168.1.20`),
 * it calls from that address, which another machine cannot connect from (the handshake's answer
 * comes back here, and Linux drops such packets as martians anyway).
 */
export const createCallerGuard = (host: string) => {
  const wildcard = ['0.0.0.0', '::', ''].includes(host);
  return (req: IncomingMessage): Forgery | undefined => {
    const { remoteAddress, localAddress } = req.socket;
    if (isLoopback(remoteAddress)) return undefined;
    if (!wildcard && remoteAddress !== undefined && remoteAddress === localAddress) {
      return undefined;
    }
    return {
      status: 403,
      errorType: 'AccessDeniedException',
      message:
        `Refused: a request from ${remoteAddress ?? 'an unknown address'}. Invoke and @connections ` +
        "answer this machine only (the handler's own calls); the chat's page and WebSocket are " +
        'what other machines may use.',
    };
  };
};
