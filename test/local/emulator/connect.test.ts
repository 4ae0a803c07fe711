import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openClient, refusedUpgrade } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { type AnyEvent, recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const routeOf = (event: AnyEvent): string => event.requestContext.routeKey;

describe('$connect', () => {
  it('accepts on 2xx and puts the returned headers into the handshake', async () => {
    const rec = recorder((event) =>
      routeOf(event) === '$connect'
        ? { statusCode: 201, headers: { 'Sec-WebSocket-Protocol': 'chat.v2', 'X-Room': 'general' } }
        : { statusCode: 200 },
    );
    const emulator = await startEmulator(rec.handler);
    const ws = new WebSocket(emulator.wsUrl, ['chat.v1', 'chat.v2']);
    const upgraded = once(ws, 'upgrade') as Promise<[IncomingMessage]>;
    const opened = once(ws, 'open');
    const [[response]] = await Promise.all([upgraded, opened]);
    expect(ws.protocol).toBe('chat.v2');
    expect(response.headers['x-room']).toBe('general');
    ws.close();
  });

  it('passes the offered subprotocols to $connect in headers and multiValueHeaders', async () => {
    const rec = recorder((event) =>
      routeOf(event) === '$connect'
        ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'chat' } }
        : { statusCode: 200 },
    );
    const emulator = await startEmulator(rec.handler);
    const ws = new WebSocket(emulator.wsUrl, ['chat', 'token.YWJj']);
    await once(ws, 'open');
    expect(ws.protocol).toBe('chat');
    const [event] = rec.events('$connect');
    expect(event.headers['Sec-WebSocket-Protocol']).toBe('chat,token.YWJj');
    expect(event.multiValueHeaders['Sec-WebSocket-Protocol']).toEqual(['chat,token.YWJj']);
    ws.close();
  });

  it('picks no subprotocol itself when $connect returns none', async () => {
    const emulator = await startEmulator(recorder().handler);
    const ws = new WebSocket(emulator.wsUrl, ['chat.v1']);
    // A browser fails such a handshake too: it asked for a subprotocol and got none.
    const [error] = (await once(ws, 'error')) as [Error];
    expect(error.message).toMatch(/no subprotocol/i);
  });

  it.each([403, 400])('refuses the upgrade with the %i the handler returned', async (status) => {
    const rec = recorder(() => ({ statusCode: status, body: `refused with ${status}` }));
    const emulator = await startEmulator(rec.handler);
    expect(await refusedUpgrade(`${emulator.wsUrl}/?room=x`)).toEqual({
      status,
      body: `refused with ${status}`,
    });
  });

  it('refuses with 502 when $connect throws', async () => {
    const emulator = await startEmulator(async () => {
      throw new Error('connect exploded');
    });
    expect((await refusedUpgrade(emulator.wsUrl)).status).toBe(502);
  });

  it('refuses with 502 when $connect outlives the function timeout', async () => {
    const emulator = await startEmulator(() => new Promise(() => undefined), { timeoutMs: 100 });
    expect((await refusedUpgrade(emulator.wsUrl)).status).toBe(502);
  });

  it('never sends $disconnect for a connection it refused, and forgets its id', async () => {
    const rec = recorder(() => ({ statusCode: 401 }));
    const emulator = await startEmulator(rec.handler);
    await refusedUpgrade(emulator.wsUrl);
    const [connect] = rec.events('$connect');
    const gone = await signedFetch(
      connectionUrl(emulator.httpUrl, connect.requestContext.connectionId),
    );
    expect(gone.status).toBe(410);
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(0);
  });

  it('answers 410 to a post made while $connect is still running', async () => {
    const during: number[] = [];
    let connectionId = '';
    const emulator = await startEmulator(async (event: AnyEvent) => {
      if (routeOf(event) !== '$connect') return { statusCode: 200 };
      connectionId = event.requestContext.connectionId;
      const url = connectionUrl(process.env.CALLBACK_URL as string, connectionId);
      during.push((await signedFetch(url, { method: 'POST', body: 'too early' })).status);
      during.push((await signedFetch(url)).status);
      return { statusCode: 200 };
    });
    const client = await openClient(emulator.wsUrl);
    expect(during).toEqual([410, 410]);
    // The same id works once the handshake is done.
    const url = connectionUrl(emulator.httpUrl, connectionId);
    expect((await signedFetch(url, { method: 'POST', body: 'now' })).status).toBe(200);
    expect(await client.next()).toBe('now');
    expect(client.received).toEqual(['now']);
  });

  it('serves the WebSocket at /{stage} too, and refuses other paths without invoking', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler, { stage: 'prod' });
    const client = await openClient(`${emulator.wsUrl}/prod?room=a`);
    expect(rec.events('$connect')[0].requestContext.stage).toBe('prod');
    client.close();
    expect((await refusedUpgrade(`${emulator.wsUrl}/other`)).status).toBe(403);
    expect(rec.events('$connect')).toHaveLength(1);
  });
});
