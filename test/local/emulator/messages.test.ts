import { describe, expect, it, vi } from 'vitest';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { type AnyEvent, recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const isMessage = (event: AnyEvent) => event.requestContext.eventType === 'MESSAGE';

describe('message routes', () => {
  it('sends the caller API Gateway\'s "Internal server error" frame when the handler throws', async () => {
    const rec = recorder((event) => {
      if (isMessage(event)) throw new Error('route exploded');
      return { statusCode: 200 };
    });
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.send('{"action":"sendmessage","message":"hi"}');
    const frame = JSON.parse(await client.next());
    const [event] = rec.events('sendmessage');
    expect(frame).toEqual({
      message: 'Internal server error',
      connectionId: event.requestContext.connectionId,
      requestId: event.requestContext.requestId,
    });
    // The connection stays open.
    client.send('again');
    expect(JSON.parse(await client.next()).message).toBe('Internal server error');
  });

  it('treats a message invocation that outlives the timeout as failed', async () => {
    const rec = recorder((event) =>
      isMessage(event) ? new Promise(() => undefined) : { statusCode: 200 },
    );
    const emulator = await startEmulator(rec.handler, { timeoutMs: 100 });
    const client = await openClient(emulator.wsUrl);
    client.send('{"action":"history"}');
    const frame = JSON.parse(await client.next());
    expect(frame).toMatchObject({ message: 'Internal server error' });
    expect(frame.requestId).toBe(rec.events('history')[0].requestContext.requestId);
  });

  it("never sends a message route's return value to the client", async () => {
    let returned = 0;
    const rec = recorder(async (event) => {
      if (event.body === 'mark') {
        const url = connectionUrl(
          process.env.CALLBACK_URL as string,
          event.requestContext.connectionId,
        );
        await signedFetch(url, { method: 'POST', body: 'marker' });
        return { statusCode: 200 };
      }
      returned += 1;
      return { statusCode: 200, body: 'the return value' };
    });
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.send('{"action":"sendmessage"}');
    client.send('not json');
    await vi.waitFor(() => expect(returned).toBe(3));
    client.send('mark');
    expect(await client.next()).toBe('marker');
    expect(client.received).toEqual(['marker']);
  });

  it('invokes messages of one connection concurrently, each on its own', async () => {
    let releaseFirst: () => void = () => undefined;
    const firstMayFinish = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const finished: string[] = [];
    const rec = recorder(async (event) => {
      if (event.body === 'first') await firstMayFinish;
      if (event.body === 'second') releaseFirst();
      if (isMessage(event)) finished.push(event.body);
      return { statusCode: 200 };
    });
    // Were invocations queued per connection, `first` would wait for `second` forever and time out.
    const emulator = await startEmulator(rec.handler, { timeoutMs: 5_000 });
    const client = await openClient(emulator.wsUrl);
    client.send('first');
    client.send('second');
    await vi.waitFor(() => expect(finished).toEqual(['second', 'first']));
    expect(client.received).toEqual([]);
  });
});
