import { describe, expect, it, vi } from 'vitest';
import { openClient } from '../fixtures/clients.js';
import { connectionUrl, startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';
import { signedFetch } from '../fixtures/signed-fetch.js';

const KIB = 1024;

type Ticking = {
  client: Awaited<ReturnType<typeof openClient>>;
  emulator: Awaited<ReturnType<typeof startEmulator>>;
  rec: ReturnType<typeof recorder>;
};

const IDLE_MS = 600;

/** Resolves once `done` holds, checking on every turn of the event loop. */
const until = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * A connection that idles out after 600 ms of the test's time: the timers the emulator starts
 * meanwhile are fake, so none fires until the test moves them on, however slow the machine.
 * `activity` (awaited until the gateway has seen it) comes 1 ms before each timeout would end,
 * three times over; then the connection is left idle for a whole timeout.
 */
const keptAliveBy = async (activity: (connection: Ticking, i: number) => Promise<unknown>) => {
  const rec = recorder();
  const emulator = await startEmulator(rec.handler, { idleTimeoutMs: IDLE_MS });
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    const client = await openClient(emulator.wsUrl);
    for (let i = 0; i < 3; i += 1) {
      vi.advanceTimersByTime(IDLE_MS - 1);
      await activity({ client, emulator, rec }, i);
    }
    // Three idle timeouts since it opened, and still open.
    expect(rec.events('$disconnect')).toEqual([]);
    vi.advanceTimersByTime(IDLE_MS);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
  } finally {
    vi.useRealTimers();
  }
};

describe('frame and message limits', () => {
  it('closes a frame over 32 KiB with 1009 and never invokes for it', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.send('a'.repeat(32 * KIB + 1));
    expect((await client.closed).code).toBe(1009);
    await emulator.stop();
    expect(rec.events('$default')).toHaveLength(0);
    const [disconnect] = rec.events('$disconnect');
    expect(disconnect.requestContext.disconnectStatusCode).toBe(1009);
  });

  it('delivers a frame of exactly 32 KiB', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.send('a'.repeat(32 * KIB));
    await vi.waitFor(() => expect(rec.events('$default')).toHaveLength(1));
    expect(rec.events('$default')[0].body).toHaveLength(32 * KIB);
    expect(client.ws.readyState).toBe(client.ws.OPEN);
  });

  it('delivers a 100 KiB message sent as four 25 KiB frames as one body', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    const parts = ['a', 'b', 'c', 'd'].map((letter) => letter.repeat(25 * KIB));
    parts.forEach((part, index) => {
      client.ws.send(part, { fin: index === parts.length - 1 });
    });
    await vi.waitFor(() => expect(rec.events('$default')).toHaveLength(1));
    expect(rec.events('$default')[0].body).toBe(parts.join(''));
  });

  it('closes a message over 128 KiB with 1009 even when every frame is small', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    const parts = [...Array(5).fill('a'.repeat(32 * KIB)), 'a'];
    parts.forEach((part, index) => {
      client.ws.send(part, { fin: index === parts.length - 1 });
    });
    expect((await client.closed).code).toBe(1009);
    await emulator.stop();
    expect(rec.events('$default')).toHaveLength(0);
  });

  it('closes a binary frame with 1003 and never invokes for it', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    client.ws.send(Buffer.from([1, 2, 3]));
    expect((await client.closed).code).toBe(1003);
    await emulator.stop();
    expect(rec.events('$default')).toHaveLength(0);
    expect(rec.events('$disconnect')[0].requestContext.disconnectStatusCode).toBe(1003);
  });
});

describe('idle and maximum durations', () => {
  it('closes an idle connection with 1001 and fires $disconnect once', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler, { idleTimeoutMs: 200 });
    const client = await openClient(emulator.wsUrl);
    expect(await client.closed).toEqual({ code: 1001, reason: 'Going away' });
    await emulator.stop();
    expect(rec.events('$disconnect').map((event) => event.requestContext)).toEqual([
      expect.objectContaining({ disconnectStatusCode: 1001, disconnectReason: 'Going away' }),
    ]);
  });

  it('keeps a connection alive past the idle timeout while the client sends frames', async () => {
    await keptAliveBy(async ({ client, rec }, i) => {
      client.send(`tick ${i}`);
      // A frame that came after an idle close is dropped: the close ends the wait instead.
      let closed = false;
      void client.closed.then(() => {
        closed = true;
      });
      await until(() => closed || rec.events('$default').length > i);
      expect(closed).toBe(false);
    });
  });

  it('keeps a connection alive past the idle timeout while the server posts to it', async () => {
    await keptAliveBy(async ({ emulator, rec }, i) => {
      const id = rec.events('$connect')[0].requestContext.connectionId;
      const posted = await signedFetch(connectionUrl(emulator.httpUrl, id), {
        method: 'POST',
        body: `tick ${i}`,
      });
      expect(posted.status).toBe(200);
    });
  });

  it('closes at the maximum duration with 1001 however active the connection is', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler, { maxConnectionMs: 400 });
    const client = await openClient(emulator.wsUrl);
    const chatter = setInterval(() => client.send('busy'), 50);
    const closed = await client.closed;
    clearInterval(chatter);
    expect(closed).toEqual({ code: 1001, reason: 'Going away' });
    await emulator.stop();
    expect(rec.events('$disconnect')).toHaveLength(1);
  });
});
