import { afterEach, describe, expect, it } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { keyProtocols, newKey } from '../support/keys.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

const open: TestClient[] = [];
afterEach(() => {
  for (const client of open.splice(0)) client.ws.close();
});

describe('who owns a message, through the emulator with real clients', () => {
  const stack = useChatServer({ AWS_LAMBDA_LOG_LEVEL: 'warn' });

  /** A page in `room` as `name`, offering its key; resolves once its replay is in. */
  const page = async (room: string, name: string, key: Uint8Array) => {
    const client = await connectClient(`${stack.wsUrl}/?room=${room}&name=${name}`, {
      protocols: keyProtocols(key),
    });
    open.push(client);
    await client.next((f) => f.type === 'presence');
    return client;
  };

  /** The public id its session frame gave a page. */
  const userIdOf = (client: TestClient) => client.frames.find((f) => f.type === 'session')?.userId;

  const send = (client: TestClient, frame: Record<string, unknown>) =>
    client.ws.send(JSON.stringify(frame));

  it('refuses a stranger with alice’s name, and lets alice’s key edit and delete after a reload', async () => {
    const aliceKey = newKey();
    const alice = await page('owned', 'alice', aliceKey);
    expect(alice.ws.protocol).toBe('chat');
    send(alice, { action: 'sendmessage', message: 'mine' });
    const sent = await alice.next((f) => f.type === 'message');
    const seq = sent.seq as number;
    expect(userIdOf(alice)).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(sent.userId).toBe(userIdOf(alice));

    const stranger = await page('owned', 'alice', newKey());
    expect(userIdOf(stranger)).not.toBe(userIdOf(alice));
    send(stranger, { action: 'editmessage', seq, message: 'not yours' });
    expect(await stranger.next((f) => f.type === 'error')).toEqual({
      type: 'error',
      code: 'forbidden',
      action: 'editmessage',
      message: `only its author can edit message ${seq}`,
    });
    send(stranger, { action: 'deletemessage', seq });
    expect(await stranger.next((f) => f.action === 'deletemessage')).toEqual({
      type: 'error',
      code: 'forbidden',
      action: 'deletemessage',
      message: `only its author can delete message ${seq}`,
    });

    // Alice reloads: the page closes and opens again with the key it kept.
    alice.ws.close();
    await alice.closed;
    const reloaded = await page('owned', 'alice', aliceKey);
    expect(userIdOf(reloaded)).toBe(userIdOf(alice));
    send(reloaded, { action: 'editmessage', seq, message: 'still mine' });
    expect(await reloaded.next((f) => f.type === 'edit')).toMatchObject({
      target: seq,
      text: 'still mine',
    });
    send(reloaded, { action: 'deletemessage', seq });
    expect(await reloaded.next((f) => f.type === 'delete')).toMatchObject({ target: seq });
    expect((await stack.store.readAfter('owned', 0, 10)).messages).toEqual([
      expect.objectContaining({ seq, deleted: true }),
    ]);
  });
});
