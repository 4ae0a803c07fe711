import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { openClient, type RecordingClient } from './fixtures/clients.js';
import { spawnWscat } from './fixtures/wscat.js';

interface Frame {
  type: string;
  room?: string;
  seq?: number;
  sender?: string;
  text?: string;
  messages?: { seq: number; text: string }[];
  hasMore?: boolean;
}

const framesOf = (client: RecordingClient) =>
  client.received.map((text) => JSON.parse(text) as Frame);

/** Waits until the client has received a frame matching `match`, and returns it. */
const frame = (client: RecordingClient, match: (frame: Frame) => boolean) =>
  vi.waitFor(
    () => {
      const found = framesOf(client).find(match);
      if (!found) throw new Error(`no such frame yet in ${JSON.stringify(client.received)}`);
      return found;
    },
    { timeout: 10_000 },
  );

const isHistory = (frame: Frame) => frame.type === 'history';
const message = (text: string) => (frame: Frame) => frame.type === 'message' && frame.text === text;
const send = (client: RecordingClient, text: string) =>
  client.send(JSON.stringify({ action: 'sendmessage', message: text, id: randomUUID() }));

describe('the chat, end to end through startLocalStack and the real handler', () => {
  const stack = useChatServer();
  const join = async (room: string, name: string, since?: number) => {
    const query = `room=${room}&name=${name}${since === undefined ? '' : `&since=${since}`}`;
    const client = await openClient(`${stack.wsUrl}/?${query}`);
    await frame(client, isHistory);
    return client;
  };

  it('lets two clients in a room chat, and replays the history to a third without asking', async () => {
    const room = `r-${randomUUID().slice(0, 8)}`;
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    expect(framesOf(alice).find(isHistory)?.messages).toEqual([]);

    send(alice, 'hi bob');
    const atBob = await frame(bob, message('hi bob'));
    expect(atBob).toMatchObject({ room, seq: 1, sender: 'alice' });
    await frame(alice, message('hi bob'));
    send(bob, 'hi alice');
    expect(await frame(alice, message('hi alice'))).toMatchObject({ seq: 2, sender: 'bob' });

    const carol = await openClient(`${stack.wsUrl}/?room=${room}&name=carol`);
    const history = await frame(carol, isHistory);
    expect(history.messages?.map(({ seq, text }) => [seq, text])).toEqual([
      [1, 'hi bob'],
      [2, 'hi alice'],
    ]);
  });

  it('gives a client that reconnects with since exactly what it missed', async () => {
    const room = `r-${randomUUID().slice(0, 8)}`;
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    send(alice, 'one');
    const seen = await frame(bob, message('one'));
    bob.close();
    await bob.closed;
    send(alice, 'two');
    await frame(alice, message('two'));
    send(alice, 'three');
    await frame(alice, message('three'));

    const back = await openClient(`${stack.wsUrl}/?room=${room}&name=bob&since=${seen.seq}`);
    const missed = await frame(back, isHistory);
    expect(missed.messages?.map(({ seq, text }) => [seq, text])).toEqual([
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(missed.hasMore).toBe(false);
  });

  it('keeps rooms apart: a client in another room hears nothing', async () => {
    const room = `r-${randomUUID().slice(0, 8)}`;
    const elsewhere = `r-${randomUUID().slice(0, 8)}`;
    const alice = await join(room, 'alice');
    const bob = await join(room, 'bob');
    const eve = await join(elsewhere, 'eve');
    send(alice, 'for this room only');
    await frame(bob, message('for this room only'));
    await frame(alice, message('for this room only'));
    // Eve's own message reaches her after anything that could have leaked.
    send(eve, 'anyone here?');
    await frame(eve, message('anyone here?'));
    // Presence comes on its own timer, before or after her message; it must be of her room.
    expect(
      framesOf(eve).every((frame) => frame.room === undefined || frame.room === elsewhere),
    ).toBe(true);
    expect(
      framesOf(eve)
        .filter((frame) => frame.type !== 'presence')
        .map((frame) => frame.type),
    ).toEqual(['session', 'history', 'message']);
    expect(framesOf(eve)[1]?.messages).toEqual([]);
    expect(framesOf(bob).some(message('anyone here?'))).toBe(false);
  });

  it('delivers what wscat types to a WebSocket client in the same room', async () => {
    const room = `r-${randomUUID().slice(0, 8)}`;
    const alice = await join(room, 'alice');
    const wscat = spawnWscat(`${stack.wsUrl}/?room=${room}&name=terminal`);
    await wscat.printed('"type":"history"');
    wscat.type('{"action":"sendmessage","message":"typed in a terminal"}');
    expect(await frame(alice, message('typed in a terminal'))).toMatchObject({
      room,
      sender: 'terminal',
      seq: 1,
    });
    await wscat.printed('typed in a terminal');
    expect(await wscat.quit()).toBe(0);
  });

  it('closes a connection the server forgot while it was open, after telling it why (a signed DELETE)', async () => {
    const room = `r-${randomUUID().slice(0, 8)}`;
    const alice = await join(room, 'alice');
    const [member] = (await stack.store.listMembers(room).next()).value ?? [];
    expect(member).toBeDefined();
    // A prune that took the connection for gone while its socket was open.
    await stack.store.removeConnection(member?.connectionId ?? '', room);

    alice.send(JSON.stringify({ action: 'who' }));

    expect(await frame(alice, (f) => f.type === 'error')).toMatchObject({
      code: 'invalid_request',
      message: expect.stringContaining('reconnect'),
    });
    // API Gateway closes with a close frame that has no status: the client sees 1005.
    expect(await alice.closed).toMatchObject({ code: 1005 });
  });
});
