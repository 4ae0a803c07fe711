import { describe, expect, it } from 'vitest';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { table, aws, invoke } = useHandler();

const join = async (room: string, ...names: string[]) => {
  for (const name of names) await invoke(connectEvent(`${room}-${name}`, { room, name }));
  aws.reset();
};

describe('sendmessage', () => {
  it('stores the message and broadcasts it to everyone in the room, sender included', async () => {
    await join('chat', 'alice', 'bob');
    await join('other', 'carol');
    await invoke(sendFrame('chat-alice', { message: 'hello', id: 'c-1' }));
    const expected = {
      type: 'message',
      room: 'chat',
      seq: 1,
      id: 'c-1',
      sender: 'alice',
      text: 'hello',
    };
    expect(aws.delivered('chat-alice')).toEqual([expect.objectContaining(expected)]);
    // The id goes back to its sender alone.
    const { id: _id, ...toRoom } = expected;
    expect(aws.delivered('chat-bob')).toEqual([expect.objectContaining(toRoom)]);
    expect(aws.delivered('chat-bob')[0]).not.toHaveProperty('id');
    expect(aws.delivered('other-carol')).toEqual([]);
    const sentAt = aws.delivered('chat-bob')[0]?.sentAt as string;
    expect(new Date(sentAt).toISOString()).toBe(sentAt);
  });

  it('accepts data as an alias for message', async () => {
    await join('alias', 'alice');
    await invoke(sendFrame('alias-alice', { data: 'from the AWS sample' }));
    expect(aws.delivered('alias-alice')[0]).toMatchObject({ text: 'from the AWS sample', seq: 1 });
  });

  it('takes room, sender, seq and time from the server, never from the frame', async () => {
    await join('trusted', 'alice');
    await join('victim', 'bob');
    await invoke(
      sendFrame('trusted-alice', {
        message: 'hi',
        room: 'victim',
        sender: 'admin',
        seq: 999,
        sentAt: '1999-01-01T00:00:00.000Z',
      }),
    );
    const [frame] = aws.delivered('trusted-alice');
    expect(frame).toMatchObject({ room: 'trusted', sender: 'alice', seq: 1 });
    expect(frame?.sentAt).not.toBe('1999-01-01T00:00:00.000Z');
    expect(aws.delivered('victim-bob')).toEqual([]);
    expect(await table.store.lastSeq('victim')).toBe(0);
  });

  it('stores and broadcasts a retried id once and gives the sender its original message', async () => {
    await join('idem', 'alice', 'bob');
    await invoke(sendFrame('idem-alice', { message: 'once', id: 'same' }));
    const original = aws.delivered('idem-alice')[0];
    aws.reset();
    await invoke(sendFrame('idem-alice', { message: 'once', id: 'same' }));
    expect(aws.delivered('idem-alice')).toEqual([original]);
    expect(aws.delivered('idem-bob')).toEqual([]);
    const log = await table.store.readAfter('idem', 0, 10);
    expect(log.messages).toHaveLength(1);
  });

  it('refuses an id its sender already used for a different text, tells only the sender, and stores nothing', async () => {
    await join('reuse', 'alice', 'bob');
    await invoke(sendFrame('reuse-alice', { message: 'first', id: '1' }));
    aws.reset();
    await invoke(sendFrame('reuse-alice', { message: 'second', id: '1' }));
    expect(aws.delivered('reuse-alice')).toEqual([
      {
        type: 'error',
        code: 'invalid_request',
        message: expect.stringContaining('id "1" was already used for a different message'),
      },
    ]);
    expect(aws.delivered('reuse-bob')).toEqual([]);
    expect((await table.store.readAfter('reuse', 0, 10)).messages.map((m) => m.text)).toEqual([
      'first',
    ]);
  });

  it("never answers a sender with someone else's message: the same id from another sender is their own", async () => {
    await join('hijack', 'alice', 'bob');
    await invoke(sendFrame('hijack-alice', { message: 'from alice', id: '1' }));
    aws.reset();
    await invoke(sendFrame('hijack-bob', { message: 'from bob', id: '1' }));
    const expected = { type: 'message', seq: 2, sender: 'bob', text: 'from bob' };
    expect(aws.delivered('hijack-bob')).toEqual([
      expect.objectContaining({ ...expected, id: '1' }),
    ]);
    expect(aws.delivered('hijack-alice')).toEqual([expect.objectContaining(expected)]);
  });

  it('acknowledges the sender before posting to anyone else in the room', async () => {
    const names = Array.from({ length: 30 }, (_, n) => `m${String(n).padStart(2, '0')}`);
    await join('first', ...names);
    await invoke(sendFrame('first-m29', { message: 'me first' }));
    expect(aws.posts.map((p) => p.connectionId)[0]).toBe('first-m29');
    expect(aws.posts).toHaveLength(30);
  });

  it('accepts messages at exactly 4,000 characters or 16 KiB, counting what people see as one character', async () => {
    await join('limits', 'alice');
    await invoke(sendFrame('limits-alice', { message: 'é'.repeat(4000) }));
    await invoke(sendFrame('limits-alice', { message: '😀'.repeat(4000) }));
    await invoke(sendFrame('limits-alice', { message: 'e\u0301'.repeat(4000) }));
    await invoke(sendFrame('limits-alice', { message: '👍🏽'.repeat(2048) }));
    const texts = aws.delivered('limits-alice').map((f) => f.type);
    expect(texts).toEqual(['message', 'message', 'message', 'message']);
  });
});
