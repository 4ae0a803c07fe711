import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import WebSocket from 'ws';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { keyProtocol, tokenProtocol } from '../../src/protocol/subprotocol.js';
import { epochSeconds, signJwt } from '../support/tokens.js';
import { refusedUpgrade } from './fixtures/clients.js';

const SECRET = 'chat-auth-test-secret';
const token = signJwt({ name: 'verified-sam', sub: 'u-1', exp: epochSeconds(600) }, SECRET);
/** A page's key, offered beside the token (and ignored: the token's `sub` is the author). */
const KEY = randomBytes(32);

// Everything the emulator and the handler print, to check that no token ever reaches a log.
const printed: string[] = [];
let stack: LocalStack;

beforeAll(async () => {
  const keep = (...args: unknown[]) => {
    printed.push(args.map(String).join(' '));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep);
  vi.spyOn(console, 'log').mockImplementation(keep);
  vi.spyOn(console, 'error').mockImplementation(keep);
  stack = await startLocalStack({
    port: 0,
    quiet: false,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `chat-auth-${randomUUID().slice(0, 8)}`,
    env: { CONNECT_JWT_SECRET: SECRET, AWS_LAMBDA_LOG_LEVEL: 'debug' },
  });
});
afterAll(async () => {
  await stack?.stop();
  vi.restoreAllMocks();
});

/** Opens a socket and waits for its replay; resolves with the socket and that first frame. */
const join = async (url: string, protocols?: string[]) => {
  const ws = new WebSocket(url, protocols);
  const first = once(ws, 'message');
  await once(ws, 'open');
  const [data] = (await first) as [Buffer];
  return { ws, replay: JSON.parse(data.toString()) as Record<string, unknown> };
};

describe('the chat with JWT auth, behind the emulator', () => {
  it('accepts a browser-style token subprotocol and answers with chat', async () => {
    const { ws, replay } = await join(`${stack.wsUrl}/?room=auth&name=spoof`, [
      'chat',
      tokenProtocol(token),
      keyProtocol(KEY),
    ]);
    expect(ws.protocol).toBe('chat');
    // Who it is comes first: the token's name, read and send without a rooms claim.
    expect(replay).toMatchObject({
      type: 'session',
      room: 'auth',
      name: 'verified-sam',
      capabilities: ['read', 'send'],
    });
    // The echo, past the room's presence snapshot that follows the history.
    const echo = new Promise<Record<string, unknown>>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const frame = JSON.parse(data.toString()) as Record<string, unknown>;
        if (frame.type === 'message') resolve(frame);
      }),
    );
    ws.send(JSON.stringify({ action: 'sendmessage', message: 'hi', id: 'a1' }));
    expect(await echo).toMatchObject({ sender: 'verified-sam', text: 'hi' });
    ws.close();
  });

  it('refuses a valid token in the query with HTTP 400, saying to offer it as the subprotocol', async () => {
    expect(await refusedUpgrade(`${stack.wsUrl}/?room=auth&token=${token}`)).toEqual({
      status: 400,
      body: 'a token in the query is refused: offer it as the "token." subprotocol beside "chat"',
    });
  });

  it('refuses a connection without a token with HTTP 401 and the reason', async () => {
    expect(await refusedUpgrade(`${stack.wsUrl}/?room=auth`)).toEqual({
      status: 401,
      body: 'a token is required: offer it as the "token." subprotocol beside "chat"',
    });
  });

  it('never prints the token or the key, in the emulator lines or the handler logs', async () => {
    // Its own connections, whichever tests ran before it: one let in with the token and the key
    // offered, one refused with the token in the query.
    const from = printed.length;
    const { ws } = await join(`${stack.wsUrl}/?room=auth-logs`, [
      'chat',
      tokenProtocol(token),
      keyProtocol(KEY),
    ]);
    ws.close();
    expect((await refusedUpgrade(`${stack.wsUrl}/?room=auth-logs&token=${token}`)).status).toBe(
      400,
    );
    // A container's console reaches this thread on a channel of its own, after its result may.
    const since = () => printed.slice(from).join('\n');
    await vi.waitFor(() => expect(since()).toContain('"event":"connect_refused"'));
    await vi.waitFor(() => expect(since()).toContain('"event":"connected"'));
    const output = printed.join('\n');
    expect(output).toContain('$connect');
    const key = KEY.toString('base64url');
    for (const secret of [token, tokenProtocol(token), token.split('.')[2] ?? token, SECRET, key]) {
      expect(output).not.toContain(secret);
    }
  });
});
