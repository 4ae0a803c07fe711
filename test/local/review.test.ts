import { afterEach, describe, expect, it } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

// A generous timeout: this checks what the verdicts do, not how fast a loaded machine answers.
const chat = useChatServer(
  { REVIEW_TIMEOUT_MS: '5000', AWS_LAMBDA_LOG_LEVEL: 'warn' },
  { review: 'test/local/fixtures/review.ts#policy' },
);

const clients: TestClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.ws.close();
});

const join = async (room: string, name: string) => {
  const client = await connectClient(`${chat.wsUrl}/?room=${room}&name=${name}`);
  clients.push(client);
  await client.next((frame) => frame.type === 'history');
  return client;
};

describe('the review hook on the emulator (npm start --review)', () => {
  it('tells only the sender of a denied message, and gives everyone a modified one as modified', async () => {
    const alice = await join('reviewed', 'alice');
    const bob = await join('reviewed', 'bob');
    alice.ws.send(JSON.stringify({ action: 'sendmessage', message: 'cheap spam', id: 'e-1' }));
    expect(await alice.next((frame) => frame.type === 'error')).toEqual({
      type: 'error',
      code: 'rejected',
      message: 'your message was not sent: no spam in this room',
      action: 'sendmessage',
      id: 'e-1',
    });
    alice.ws.send(JSON.stringify({ action: 'sendmessage', message: 'oh darn', id: 'e-2' }));
    expect(await bob.next((frame) => frame.type === 'message')).toMatchObject({
      seq: 1,
      sender: 'alice',
      text: 'oh d**n',
    });
    expect(await alice.next((frame) => frame.type === 'message')).toMatchObject({
      seq: 1,
      id: 'e-2',
      text: 'oh d**n',
    });
    // Bob never heard of the denied message: the modified one is all he got.
    const told = bob.frames.filter((frame) => frame.type === 'message' || frame.type === 'error');
    expect(told).toEqual([expect.objectContaining({ type: 'message', text: 'oh d**n' })]);
    const log = await chat.store.readAfter('reviewed', 0, 10);
    expect(log.messages.map((message) => message.text)).toEqual(['oh d**n']);
  });
});
