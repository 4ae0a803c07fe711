import { describe, expect, it, vi } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { keyProtocols, newKey } from '../support/keys.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const moderatorKey = newKey();
const server = useChatServer({
  MODERATOR_KEYS: moderatorKey.toString('base64url'),
  AWS_LAMBDA_LOG_LEVEL: 'warn',
});

type Frame = Record<string, unknown>;

/** A page's client in `room`: its key, its socket once the replay is done, and its public id. */
const join = async (room: string, name: string, key = newKey()) => {
  const client = await connectClient(`${server.wsUrl}/?${new URLSearchParams({ room, name })}`, {
    protocols: keyProtocols(key),
  });
  const session = await client.next((f) => f.type === 'session');
  await client.next((f) => f.type === 'history');
  return { ...client, key, userId: session.userId as string, session };
};

const send = (client: TestClient, frame: Frame) => client.ws.send(JSON.stringify(frame));

/** The frames after the `from`th one. */
const since = (client: TestClient, from: number) => ({
  next: (test: (frame: Frame) => boolean, ms = 10_000) =>
    client.next((frame) => client.frames.indexOf(frame) >= from && test(frame), ms),
});

const refusalOf = async (room: string, key: Uint8Array) =>
  connectClient(`${server.wsUrl}/?room=${room}&name=again`, { protocols: keyProtocols(key) }).then(
    (client) => {
      client.ws.close();
      return 'open';
    },
    (error: Error) => error.message,
  );

describe('moderation on the emulator, with real clients', () => {
  it('lets a moderator delete, kick, ban, mute and unban; every client sees each event, and a new connection’s replay has them', async () => {
    const room = 'moderated';
    const mod = await join(room, 'mod', moderatorKey);
    expect(mod.session.capabilities).toEqual(['read', 'send', 'moderate']);
    const troll = await join(room, 'troll');
    const bob = await join(room, 'bob');

    send(troll, { action: 'sendmessage', message: 'buy my stuff' });
    const spam = await bob.next((f) => f.type === 'message');
    send(mod, { action: 'deletemessage', seq: spam.seq });
    expect(await bob.next((f) => f.type === 'delete')).toMatchObject({ target: spam.seq });

    send(mod, { action: 'kick', userId: troll.userId, reason: 'cool off' });
    expect(await troll.next((f) => f.type === 'error')).toEqual({
      type: 'error',
      code: 'kicked',
      message: `you were removed from room "${room}" by mod: cool off`,
    });
    expect((await troll.closed).code).toBe(1005);
    for (const client of [mod, bob]) {
      expect(await client.next((f) => f.type === 'moderation')).toMatchObject({
        action: 'kick',
        by: { userId: mod.userId, name: 'mod' },
        userId: troll.userId,
        name: 'troll',
        reason: 'cool off',
      });
    }

    const back = await join(room, 'troll', troll.key);
    send(mod, { action: 'ban', userId: troll.userId, reason: 'spam' });
    const banned = await back.next((f) => f.type === 'error');
    expect(banned).toEqual({
      type: 'error',
      code: 'banned',
      message: `you are banned from room "${room}" until a moderator lifts the ban: spam`,
    });
    await back.closed;
    expect(await refusalOf(room, troll.key)).toBe('HTTP 403');
    await bob.next((f) => f.type === 'moderation' && f.action === 'ban');

    const muteFrom = bob.frames.length;
    send(mod, { action: 'mute', userId: bob.userId, minutes: 10, reason: 'calm down' });
    const muted = await since(bob, muteFrom).next((f) => f.type === 'moderation');
    // A container other than the moderator's may go on a second with its copy of the room's state.
    await vi.waitFor(
      () => {
        if (bob.frames.some((f) => f.type === 'error')) return;
        send(bob, { action: 'sendmessage', message: 'let me speak' });
        throw new Error('not refused yet');
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(bob.frames.find((f) => f.type === 'error')).toEqual({
      type: 'error',
      code: 'forbidden',
      action: 'sendmessage',
      message: `you are muted in room "${room}" for 10 more minutes: calm down`,
      until: muted.until,
    });
    send(mod, { action: 'sendmessage', message: 'bob still hears me' });
    await bob.next((f) => f.type === 'message' && f.text === 'bob still hears me');
    // After a reload, the session frame says so.
    const reloaded = await join(room, 'bob', bob.key);
    expect(reloaded.session.muted).toEqual({ until: muted.until, reason: 'calm down' });
    reloaded.ws.close();

    send(mod, { action: 'unban', userId: troll.userId });
    await bob.next((f) => f.type === 'moderation' && f.action === 'unban');
    // Refused (403) while a container's copy of the state still has the ban: at most a second.
    const returned = await vi.waitFor(() => join(room, 'troll', troll.key), {
      timeout: 10_000,
      interval: 250,
    });

    const replay = await returned.next((f) => f.type === 'history');
    expect((replay.moderation as Frame[]).map((m) => m.action)).toEqual([
      'kick',
      'ban',
      'mute',
      'unban',
    ]);
    expect(returned.session).not.toHaveProperty('muted');
    for (const client of [mod, bob, returned]) client.ws.close();
  });

  it('closes a banned user’s tab that is still open on its next frame', async () => {
    const room = 'tabs';
    const troll = await join(room, 'troll');
    // Banned from elsewhere (another container, say): nothing closed the tab.
    await server.store.appendModeration({
      room,
      by: { userId: 'MODERATOR-000001', name: 'mod' },
      action: 'ban',
      userId: troll.userId,
      minutes: 60,
    });
    // Each container reads the room's state again once its copy is a second old.
    await vi.waitFor(
      () => {
        if (troll.frames.some((f) => f.code === 'banned')) return;
        send(troll, { action: 'who' });
        throw new Error('not closed yet');
      },
      { timeout: 10_000, interval: 250 },
    );
    expect(troll.frames.find((f) => f.code === 'banned')).toMatchObject({
      message: expect.stringMatching(/^you are banned from room "tabs" until \d{4}-/),
      until: expect.any(String),
    });
    await troll.closed;
  });
});
