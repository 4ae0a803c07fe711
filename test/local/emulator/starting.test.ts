import { describe, expect, it, onTestFinished } from 'vitest';
import { WebSocket } from 'ws';
import { start } from '../../../local/emulator/index.js';
import { openClient } from '../fixtures/clients.js';
import { rawRequest } from '../fixtures/raw-http.js';
import { startGate } from '../fixtures/start-gate.js';

/** The HTTP answer to a WebSocket upgrade the server does not accept, headers included. */
const upgradeAnswer = (url: string) =>
  new Promise<{ status: number; retryAfter: string | undefined; body: string }>(
    (resolve, reject) => {
      const ws = new WebSocket(url);
      ws.on('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString('utf8');
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            retryAfter: res.headers['retry-after'] as string | undefined,
            body,
          }),
        );
      });
      ws.on('open', () => reject(new Error('the connection was accepted')));
      ws.on('error', (error) => {
        if (!String(error).includes('aborted')) reject(error);
      });
    },
  );

describe('the emulator while it starts', () => {
  it('answers a page request and a WebSocket upgrade with 503 and Retry-After, then serves once ready', async () => {
    const starting = start({
      handler: 'test/local/fixtures/held-handler.ts#handler',
      runtime: 'in-process',
      port: 0,
      quiet: true,
    });
    onTestFinished(async () => {
      startGate.open();
      await (await starting).stop();
    });
    const httpUrl = await startGate.reached;
    const wsUrl = httpUrl.replace(/^http/, 'ws');

    const page = await rawRequest(`${httpUrl}/`);
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('1');
    expect(page.body).toMatch(/starting/);
    expect(await upgradeAnswer(`${wsUrl}/?room=general&name=alice`)).toEqual({
      status: 503,
      retryAfter: '1',
      body: expect.stringMatching(/starting/),
    });

    startGate.open();
    const emulator = await starting;
    expect(await (await fetch(`${emulator.httpUrl}/config.json`)).json()).toEqual({
      webSocketUrl: emulator.wsUrl,
    });
    const client = await openClient(`${emulator.wsUrl}/?room=general&name=alice`);
    client.send('{"action":"sendmessage","message":"hi"}');
    expect(JSON.parse(await client.next())).toMatchObject({ route: 'sendmessage' });
    client.close();
  });
});
