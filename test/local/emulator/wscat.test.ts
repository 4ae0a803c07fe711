import { describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';
import { spawnWscat } from '../fixtures/wscat.js';

describe('wscat as a client', () => {
  it('sends a frame the handler receives and prints what the handler posts back', async () => {
    const rec = recorder(async (event) => {
      const { routeKey, connectionId } = event.requestContext;
      if (routeKey === 'sendmessage') {
        const url = `${process.env.CALLBACK_URL}/@connections/${encodeURIComponent(connectionId)}`;
        await signedFetch(url, { method: 'POST', body: `echo: ${JSON.parse(event.body).message}` });
      }
      return { statusCode: 200 };
    });
    const emulator = await startEmulator(rec.handler);
    const wscat = spawnWscat(`${emulator.wsUrl}/?room=general&name=wscat`);
    await vi.waitFor(() => expect(rec.events('$connect')).toHaveLength(1), { timeout: 10_000 });
    expect(rec.events('$connect')[0].queryStringParameters).toEqual({
      room: 'general',
      name: 'wscat',
    });

    wscat.type('{"action":"sendmessage","message":"typed in wscat"}');
    await wscat.printed('echo: typed in wscat');
    expect(rec.events('sendmessage').map((event) => event.body)).toEqual([
      '{"action":"sendmessage","message":"typed in wscat"}',
    ]);

    expect(await wscat.quit()).toBe(0);
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
  });
});
