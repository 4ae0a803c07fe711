import { describe, expect, it } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

/**
 * The attacks of the abuse review (issue 12), each against the real emulator with real clients, all
 * from 127.0.0.1 as one network. Each runs on a stack of its own with the limits it needs (none of
 * them refill while a test runs); docs/reliability.md#attacks-before-and-after has the before and
 * after of each.
 */
/** Every limit, set on each stack: the handler's environment outlives the stack that set it. */
const limits = (overrides: Record<string, string>) => ({
  RATE_LIMIT_PER_SECOND: '1000',
  RATE_LIMIT_BURST: '1000',
  HISTORY_PER_MINUTE: '600',
  HISTORY_BURST: '300',
  ROOM_RATE_PER_SECOND: '0',
  SOURCE_RATE_PER_SECOND: '0',
  SOURCE_CONNECTS_PER_MINUTE: '0',
  SOURCE_HISTORY_PER_MINUTE: '0',
  ...overrides,
});

/**
 * In-process: these floods send dozens of frames at once, and in containers each concurrent
 * invocation would cold-start a container of its own; on two cores that alone outlasts the
 * tests' waits (or meets the concurrency limit). The budgets under test are the app's own.
 */
const IN_PROCESS = { runtime: 'in-process' } as const;

const joined = async (server: ReturnType<typeof useChatServer>, room: string, name: string) => {
  const client = await connectClient(`${server.wsUrl}/?${new URLSearchParams({ room, name })}`);
  await client.next((f) => f.type === 'history');
  return client;
};
const send = (client: TestClient, frame: Record<string, unknown>) =>
  client.ws.send(JSON.stringify(frame));

describe('history amplification', () => {
  // A frame budget that takes 50 s to refill: one refusal window for the whole test.
  const server = useChatServer(
    limits({ HISTORY_PER_MINUTE: '0.6', RATE_LIMIT_PER_SECOND: '20' }),
    IN_PROCESS,
  );

  it('answers ten 33-byte requests for 100 messages of 16 KiB with at most the 300-message budget and one rate_limited', async () => {
    await server.seed('big', 100);
    const big = 'x'.repeat(16 * 1024 - 64);
    for (let n = 0; n < 100; n++) {
      await server.store.appendMessage({ room: 'huge', author: 'name:a', sender: 'a', text: big });
    }
    const reader = await joined(server, 'huge', 'reader');
    // Its replay on connect ends with the room's presence: what follows answers the requests.
    await reader.next((f) => f.type === 'presence');
    const start = reader.frames.length;
    const bytes: number[] = [];
    reader.ws.on('message', (data) => bytes.push((data as Buffer).length));
    for (let n = 0; n < 10; n++) send(reader, { action: 'history', limit: 100 });
    const pages = () => reader.frames.slice(start).filter((f) => f.type === 'history');
    const read = () => pages().flatMap((f) => f.messages as unknown[]).length;
    const refused = () => reader.frames.filter((f) => f.code === 'rate_limited');
    // The budget's three pages, and the first of the seven refusals told why.
    await reader.next(() => read() === 300 && refused().length === 1, 30_000);
    // A probe answered after them: the other refusals, cheaper than it, are silent.
    send(reader, { action: 'sendmessage', message: 'probe' });
    await reader.next((f) => f.text === 'probe');
    expect(read()).toBe(300);
    expect(bytes.reduce((a, b) => a + b, 0)).toBeLessThan(310 * 16 * 1024);
    expect(refused()).toEqual([expect.objectContaining({ action: 'history' })]);
  });
});

describe('a stream of unusable frames', () => {
  const server = useChatServer(
    limits({ RATE_LIMIT_PER_SECOND: '0.01', RATE_LIMIT_BURST: '10' }),
    IN_PROCESS,
  );

  it('is answered at most ten times, never again, and cut off 30 frames over', async () => {
    const noisy = await joined(server, 'noise', 'noisy');
    for (let n = 0; n < 100; n++) noisy.ws.send(`garbage ${n}`);
    // 90 over a budget of 10: the 30th refused (3 bursts) cuts the connection off.
    await noisy.closed;
    // Besides its session, history and presence on connect, the 10 answers, why it was cut, and
    // nothing else.
    const welcome = ['session', 'history', 'presence'];
    const answers = noisy.frames.filter((f) => !welcome.includes(f.type as string));
    // Frames are invocations of their own, run concurrently: the cut may overtake an answer, and an
    // answer still on its way when the socket closes is lost with it.
    const codes = answers.map((f) => f.code);
    expect(codes.filter((code) => code === 'invalid_request').length).toBeLessThanOrEqual(10);
    expect(codes.filter((code) => code !== 'invalid_request')).toEqual(['flooding']);
    expect(answers.find((f) => f.code === 'flooding')).toMatchObject({ retryAfterMs: 30_000 });
    // Its network may not come straight back.
    await expect(joined(server, 'noise', 'noisy again')).rejects.toThrow('HTTP 429');
  });
});

describe('one address with many connections', () => {
  const server = useChatServer(
    limits({
      // A frame budget that takes 50 s to refill: one refusal window per connection.
      RATE_LIMIT_PER_SECOND: '20',
      SOURCE_RATE_PER_SECOND: '0.01',
      SOURCE_RATE_BURST: '15',
      SOURCE_CONNECTS_PER_MINUTE: '0.6',
      SOURCE_CONNECT_BURST: '12',
    }),
    IN_PROCESS,
  );

  it('shares one budget: 8 connections sending 5 each store 15, each refused connection is told once, and the 13th connection is refused', async () => {
    const clients: TestClient[] = [];
    for (let n = 0; n < 8; n++) clients.push(await joined(server, 'many', `m${n}`));
    for (const [n, client] of clients.entries()) {
      for (let m = 0; m < 5; m++) send(client, { action: 'sendmessage', message: `${n}/${m}` });
    }
    const messages = (client: TestClient) => client.frames.filter((f) => f.type === 'message');
    const own = (client: TestClient) =>
      messages(client).filter((f) => String(f.text).startsWith(`${clients.indexOf(client)}/`));
    const told = (client: TestClient) => client.frames.filter((f) => f.code === 'rate_limited');
    // Everyone hears the 15 stored; a connection refused any send hears why, once.
    for (const client of clients) {
      await client.next(
        () =>
          messages(client).length === 15 && (own(client).length === 5 || told(client).length > 0),
      );
    }
    expect(await server.store.lastSeq('many')).toBe(15);
    for (const client of clients) {
      expect(told(client)).toHaveLength(own(client).length < 5 ? 1 : 0);
    }
    // 25 refused, at most 5 a connection: at least 5 connections were told, of the network.
    const limited = clients.flatMap(told);
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited.every((f) => String(f.message).includes('your network'))).toBe(true);
    for (let n = 8; n < 12; n++) clients.push(await joined(server, 'many', `m${n}`));
    await expect(joined(server, 'many', 'one-too-many')).rejects.toThrow('HTTP 429');
    for (const client of clients) client.ws.close();
  });
});

describe('a crowd in one room', () => {
  const server = useChatServer(
    // In write units: a short message without an id costs 2.
    limits({ ROOM_RATE_PER_SECOND: '0.01', ROOM_RATE_BURST: '40', ROOM_NETWORK_SHARE: '0' }),
    IN_PROCESS,
  );

  it('gets the room 20 messages, the rest rate_limited, and another room is not slowed', async () => {
    const crowd = await Promise.all([0, 1, 2].map((n) => joined(server, 'packed', `p${n}`)));
    const other = await joined(server, 'elsewhere', 'calm');
    for (const [n, client] of crowd.entries()) {
      for (let m = 0; m < 10; m++) send(client, { action: 'sendmessage', message: `${n}/${m}` });
    }
    const mine = (client: TestClient) =>
      client.frames.filter(
        (f) =>
          f.code === 'rate_limited' || f.text?.toString().startsWith(`${crowd.indexOf(client)}/`),
      );
    for (const client of crowd) await client.next(() => mine(client).length >= 10, 20_000);
    const busy = crowd.flatMap((c) => c.frames.filter((f) => f.code === 'rate_limited'));
    expect(busy).toHaveLength(10);
    expect(busy[0]?.message).toContain('room "packed" is busy');
    const log = await server.store.readAfter('packed', 0, 100);
    expect(log.messages).toHaveLength(20);
    expect(log.skipped).toEqual([]);
    send(other, { action: 'sendmessage', message: 'fine here' });
    await other.next((f) => f.text === 'fine here');
  });
});
