import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, sleep, startEmulator } from '../fixtures/emulator.js';
import { type AnyEvent, recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const statusOf = (event: AnyEvent) => [
  event.requestContext.disconnectStatusCode,
  event.requestContext.disconnectReason,
];

/** A recorder whose `$connect` accepts after `ms`; `inConnect` resolves once it has started. */
const slowConnect = (ms: number) => {
  let connecting: () => void = () => undefined;
  const inConnect = new Promise<void>((resolve) => {
    connecting = resolve;
  });
  const rec = recorder(async (event) => {
    if (event.requestContext.routeKey === '$connect') {
      connecting();
      await sleep(ms);
    }
    return { statusCode: 200 };
  });
  return { rec, inConnect };
};

describe('$disconnect', () => {
  it('fires exactly once when the client closes', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.close(1000, 'done');
    await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
    // stop() waits for every invocation, so nothing can arrive after it.
    await emulator.stop();
    expect(rec.events('$disconnect').map(statusOf)).toEqual([[1000, 'done']]);
  });

  it('fires exactly once when the client vanishes without a close frame', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.ws.terminate();
    await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
    await emulator.stop();
    expect(rec.events('$disconnect').map(statusOf)).toEqual([
      [1006, 'Connection closed abnormally'],
    ]);
  });

  it('fires exactly once when a DELETE and the client close race each other', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    const id = rec.events('$connect')[0].requestContext.connectionId;
    const deleted = signedFetch(connectionUrl(emulator.httpUrl, id), { method: 'DELETE' });
    client.close(4002, 'me first');
    await deleted;
    await client.closed;
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
  });

  it('closes every connection on stop() with 1001 and waits for their $disconnect to finish', async () => {
    const finished: string[] = [];
    const rec = recorder(async (event) => {
      if (event.requestContext.routeKey === '$disconnect') {
        await sleep(50);
        finished.push(event.requestContext.connectionId);
      }
      return { statusCode: 200 };
    });
    const emulator = await startEmulator(rec.handler);
    const clients = await Promise.all([openClient(emulator.wsUrl), openClient(emulator.wsUrl)]);
    await emulator.stop();
    const ids = rec.events('$connect').map((event) => event.requestContext.connectionId);
    expect(finished.sort()).toEqual(ids.sort());
    expect(rec.events('$disconnect').map(statusOf)).toEqual([
      [1001, 'Going away'],
      [1001, 'Going away'],
    ]);
    for (const client of clients) expect((await client.closed).code).toBe(1001);
  });

  it('runs $disconnect for a connection whose $connect was still running at stop()', async () => {
    const { rec, inConnect } = slowConnect(100);
    const emulator = await startEmulator(rec.handler);
    const client = openClient(emulator.wsUrl);
    await inConnect;
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
    expect((await (await client).closed).code).toBe(1001);
  });

  it('fires once for a client that hung up while an accepting $connect was still running', async () => {
    const { rec, inConnect } = slowConnect(150);
    const emulator = await startEmulator(rec.handler);
    const ws = new WebSocket(emulator.wsUrl);
    ws.on('error', () => undefined);
    await inConnect;
    ws.terminate();
    // $connect accepted it and may have stored state for it: $disconnect must clean that up.
    await vi.waitFor(() => expect(rec.events('$disconnect')).toHaveLength(1));
    const [connected] = rec.events('$connect');
    expect(rec.events('$disconnect')[0]?.requestContext.connectionId).toBe(
      connected?.requestContext.connectionId,
    );
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
  });
});
