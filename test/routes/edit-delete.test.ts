import { describe, expect, it, vi } from 'vitest';
import { openClient, type RecordingClient } from '../local/fixtures/clients.js';
import { useChatServer } from '../support/chat-server.js';

const server = useChatServer({ AWS_LAMBDA_LOG_LEVEL: 'warn' });

type Frame = Record<string, unknown>;

/** Connects and waits for the replay's last history frame. */
const join = async (room: string, name: string, query: Record<string, string> = {}) => {
  const params = new URLSearchParams({ room, name, ...query });
  const client = await openClient(`${server.wsUrl}/?${params}`);
  await frameOf(client, (f) => f.type === 'history' && f.before === undefined);
  return client;
};

const framesOf = (client: RecordingClient) =>
  client.received.map((raw) => JSON.parse(raw) as Frame);

/** The first frame received that matches `test`, from the `from`th frame on (all by default). */
const frameOf = async (client: RecordingClient, test: (frame: Frame) => boolean, from = 0) => {
  let found: Frame | undefined;
  await vi.waitFor(
    () => {
      found = framesOf(client).slice(from).find(test);
      if (!found) throw new Error(`no such frame among ${client.received.length}`);
    },
    { timeout: 10_000 },
  );
  return found as Frame;
};

const send = (client: RecordingClient, frame: Frame) => client.send(JSON.stringify(frame));

/** Sends a message and waits for its acknowledgement; returns its seq. */
const say = async (client: RecordingClient, text: string, id?: string) => {
  send(client, { action: 'sendmessage', message: text, ...(id ? { id } : {}) });
  const echo = await frameOf(client, (f) => f.type === 'message' && f.text === text);
  return echo.seq as number;
};

describe('editmessage and deletemessage through the emulator', () => {
  it('broadcasts an edit to the room, its author included, and reads the message edited', async () => {
    const alice = await join('edit-live', 'alice');
    const bob = await join('edit-live', 'bob');
    const seq = await say(alice, 'helo');
    send(alice, { action: 'editmessage', seq, message: 'hello' });
    const mine = await frameOf(alice, (f) => f.type === 'edit');
    const theirs = await frameOf(bob, (f) => f.type === 'edit');
    expect(mine).toEqual({
      type: 'edit',
      room: 'edit-live',
      seq: seq + 1,
      target: seq,
      text: 'hello',
      editedAt: expect.any(String),
    });
    expect(Object.keys(mine)).toEqual(['type', 'room', 'seq', 'target', 'text', 'editedAt']);
    expect(theirs).toEqual(mine);
    const asked = bob.received.length;
    send(bob, { action: 'history' });
    const page = await frameOf(bob, (f) => f.type === 'history', asked);
    expect(page.messages).toEqual([
      expect.objectContaining({ seq, text: 'hello', editedAt: mine.editedAt }),
    ]);
    expect(page.updates).toEqual([
      { seq: seq + 1, target: seq, text: 'hello', editedAt: mine.editedAt },
    ]);
    alice.close();
    bob.close();
  });

  it('refuses someone else’s edit and delete with forbidden: nothing stored, nobody else gets a frame', async () => {
    const alice = await join('not-yours', 'alice');
    const bob = await join('not-yours', 'bob');
    const seq = await say(alice, 'mine');
    await frameOf(bob, (f) => f.type === 'message');
    const before = alice.received.length;
    send(bob, { action: 'editmessage', seq, message: 'yours now' });
    expect(await frameOf(bob, (f) => f.type === 'error')).toEqual({
      type: 'error',
      code: 'forbidden',
      message: `only its author can edit message ${seq}`,
      action: 'editmessage',
    });
    send(bob, { action: 'deletemessage', seq });
    await frameOf(
      bob,
      (f) => f.type === 'error' && f.message === `only its author can delete message ${seq}`,
    );
    expect(await server.store.lastSeq('not-yours')).toBe(seq);
    // A message bob sends afterwards is the next frame alice gets: nothing came before it.
    await say(bob, 'marker');
    await frameOf(alice, (f) => f.text === 'marker');
    // (Presence frames about the room's joins may come and go: they are not about messages.)
    const roomTalk = alice.received
      .slice(before)
      .map((raw) => JSON.parse(raw))
      .filter((f) => !['join', 'leave', 'presence', 'occupancy'].includes(f.type));
    expect(roomTalk.map((f) => f.text)).toEqual(['marker']);
    expect(alice.received.join('\n')).not.toContain('yours now');
    alice.close();
    bob.close();
  });

  it('answers not_found, a deleted target and a second delete to the caller alone', async () => {
    const alice = await join('refusals', 'alice');
    const bob = await join('refusals', 'bob');
    const seq = await say(alice, 'short-lived');
    send(alice, { action: 'editmessage', seq: 99, message: 'x' });
    expect(await frameOf(alice, (f) => f.code === 'not_found')).toMatchObject({
      message: 'there is no message 99 in room "refusals"',
      action: 'editmessage',
    });
    send(alice, { action: 'deletemessage', seq: 0 });
    expect(await frameOf(alice, (f) => f.code === 'invalid_request')).toMatchObject({
      message: expect.stringContaining('seq must be at least 1'),
    });
    send(alice, { action: 'deletemessage', seq });
    const deletion = await frameOf(alice, (f) => f.type === 'delete');
    expect(deletion).toEqual({
      type: 'delete',
      room: 'refusals',
      seq: seq + 1,
      target: seq,
      deleted: true,
      deletedAt: expect.any(String),
    });
    await frameOf(bob, (f) => f.type === 'delete');
    send(alice, { action: 'editmessage', seq, message: 'back again' });
    expect(
      await frameOf(
        alice,
        (f) =>
          f.code === 'invalid_request' && f !== undefined && String(f.message).includes('deleted'),
      ),
    ).toMatchObject({
      message: `message ${seq} was deleted; it cannot be edited`,
    });
    send(alice, { action: 'deletemessage', seq });
    await vi.waitFor(() =>
      expect(framesOf(alice).filter((f) => f.type === 'delete')).toEqual([deletion, deletion]),
    );
    await say(alice, 'marker');
    await frameOf(bob, (f) => f.text === 'marker');
    expect(framesOf(bob).filter((f) => f.type === 'delete')).toHaveLength(1);
    expect(await server.store.lastSeq('refusals')).toBe(seq + 2);
    alice.close();
    bob.close();
  });

  it('never sends a deleted message’s text again: replay, resume, history, a retried send, live frames', async () => {
    const room = 'forgotten';
    const alice = await join(room, 'alice');
    await say(alice, 'before it');
    const seq = await say(alice, 'my secret original', 'orig-1');
    send(alice, { action: 'editmessage', seq, message: 'my secret edit' });
    await frameOf(alice, (f) => f.type === 'edit');
    await say(alice, 'after it');
    send(alice, { action: 'deletemessage', seq });
    await frameOf(alice, (f) => f.type === 'delete');
    const deletedAt = alice.received.length;
    const head = await server.store.lastSeq(room);

    const readers = [
      await join(room, 'replayed'),
      await join(room, 'resumed-below', { since: String(seq - 1) }),
      await join(room, 'resumed-at', { since: String(seq) }),
      await join(room, 'resumed-above', { since: String(seq + 1) }),
    ];
    const later = await join(room, 'later');
    send(later, { action: 'history', before: head + 1 });
    await frameOf(later, (f) => f.type === 'history' && f.before === head + 1);
    // The author retries the original send: it gets the message back, in its current state.
    send(alice, { action: 'sendmessage', message: 'my secret original', id: 'orig-1' });
    const retried = await frameOf(alice, (f) => f.type === 'message' && f.seq === seq, deletedAt);
    expect(retried).toMatchObject({ text: '', deleted: true, deletedAt: expect.any(String) });
    send(alice, { action: 'deletemessage', seq });
    await say(alice, 'live after');
    await frameOf(later, (f) => f.text === 'live after');

    const replay = await frameOf(readers[0] as RecordingClient, (f) => f.type === 'history');
    expect(replay.messages).toContainEqual(
      expect.objectContaining({ seq, text: '', deleted: true, editedAt: expect.any(String) }),
    );
    expect(replay.updates).toEqual([
      { seq: seq + 1, target: seq, deleted: true, deletedAt: expect.any(String) },
      { seq: seq + 3, target: seq, deleted: true, deletedAt: expect.any(String) },
    ]);
    for (const client of [...readers, later]) {
      expect(client.received.length).toBeGreaterThan(0);
      for (const raw of client.received) expect(raw, raw).not.toMatch(/secret/);
    }
    // The author saw its text before the deletion; nothing it got since holds it.
    expect(alice.received.slice(deletedAt).length).toBeGreaterThan(2);
    for (const raw of alice.received.slice(deletedAt)) expect(raw).not.toMatch(/secret/);
    for (const client of [...readers, later, alice]) client.close();
  });
});
