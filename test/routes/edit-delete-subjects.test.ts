import { describe, expect, it, vi } from 'vitest';
import { tokenProtocol } from '../../src/protocol/subprotocol.js';
import { openClient, type RecordingClient } from '../local/fixtures/clients.js';
import { useChatServer } from '../support/chat-server.js';
import { epochSeconds, signJwt } from '../support/tokens.js';

const SECRET = 'edit-subjects-secret';
const server = useChatServer({ CONNECT_JWT_SECRET: SECRET, AWS_LAMBDA_LOG_LEVEL: 'warn' });

type Frame = Record<string, unknown>;

const token = (sub: string, name: string) => signJwt({ sub, name, exp: epochSeconds(600) }, SECRET);

const join = async (room: string, sub: string, name: string) => {
  const client = await openClient(`${server.wsUrl}/?room=${room}`, [
    'chat',
    tokenProtocol(token(sub, name)),
  ]);
  await frameOf(client, (f) => f.type === 'history');
  return client;
};

const frameOf = async (client: RecordingClient, test: (frame: Frame) => boolean, from = 0) => {
  let found: Frame | undefined;
  await vi.waitFor(
    () => {
      found = client.received
        .slice(from)
        .map((raw) => JSON.parse(raw) as Frame)
        .find(test);
      if (!found) throw new Error(`no such frame among ${client.received.length}`);
    },
    { timeout: 10_000 },
  );
  return found as Frame;
};

const send = (client: RecordingClient, frame: Frame) => client.send(JSON.stringify(frame));

describe('authors with token auth', () => {
  it('refuses an edit or delete by another subject with the same display name', async () => {
    const owner = await join('subjects', 'user-1', 'sam');
    const namesake = await join('subjects', 'user-2', 'sam');
    send(owner, { action: 'sendmessage', message: 'by user 1' });
    const message = await frameOf(owner, (f) => f.type === 'message');
    const seq = message.seq as number;
    await frameOf(namesake, (f) => f.type === 'message');
    const seen = owner.received.length;
    send(namesake, { action: 'editmessage', seq, message: 'by user 2' });
    expect(await frameOf(namesake, (f) => f.type === 'error')).toEqual({
      type: 'error',
      code: 'forbidden',
      message: `only its author can edit message ${seq}`,
      action: 'editmessage',
    });
    send(namesake, { action: 'deletemessage', seq });
    await frameOf(namesake, (f) => f.code === 'forbidden' && String(f.message).includes('delete'));
    expect(await server.store.lastSeq('subjects')).toBe(seq);
    expect((await server.store.readAfter('subjects', 0, 10)).messages).toEqual([
      expect.objectContaining({ seq, text: 'by user 1' }),
    ]);
    send(namesake, { action: 'sendmessage', message: 'marker' });
    await frameOf(owner, (f) => f.text === 'marker', seen);
    const logFrames = owner.received
      .slice(seen)
      .map((raw) => JSON.parse(raw) as Frame)
      .filter((f) => f.type !== 'presence');
    expect(logFrames.map((f) => [f.type, f.text])).toEqual([['message', 'marker']]);
    owner.close();
    namesake.close();
  });

  it('lets the same subject edit and delete on a new connection under another name', async () => {
    const first = await join('same-subject', 'user-3', 'kim');
    send(first, { action: 'sendmessage', message: 'draft' });
    const seq = (await frameOf(first, (f) => f.type === 'message')).seq as number;
    first.close();
    const again = await join('same-subject', 'user-3', 'kimberly');
    send(again, { action: 'editmessage', seq, message: 'final' });
    expect(await frameOf(again, (f) => f.type === 'edit')).toMatchObject({
      target: seq,
      text: 'final',
    });
    send(again, { action: 'deletemessage', seq });
    expect(await frameOf(again, (f) => f.type === 'delete')).toMatchObject({ target: seq });
    again.close();
  });
});
