import { describe, expect, it, vi } from 'vitest';
import { messagesOf } from '../../local/message-frames.js';
import { useChatServer } from '../support/chat-server.js';
import { openClient, type RecordingClient } from './fixtures/clients.js';

interface Frame {
  type: string;
  seq?: number;
  text?: string;
}

const framesOf = (client: RecordingClient) =>
  client.received.map((text) => JSON.parse(text) as Frame);

describe('a big room’s fan-out, split across invocations of the handler behind the emulator', () => {
  // Above 8 members a room's fan-out is split; 60 members make several workers.
  const stack = useChatServer({
    FANOUT_MEMBERS_PER_WORKER: '8',
    RATE_LIMIT_BURST: '100',
    // Counts rather than 60 joins' notices, each split across workers: this is about messages.
    PRESENCE_NOTICES_UP_TO: '0',
    AWS_LAMBDA_LOG_LEVEL: 'warn',
  });

  it('delivers every message to every member exactly once, through Lambda’s Invoke API', {
    timeout: 90_000,
  }, async () => {
    const clients: RecordingClient[] = [];
    for (let i = 0; i < 60; i += 20) {
      clients.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, (_, n) =>
            openClient(`${stack.wsUrl}/?room=big&name=m${i + n}`),
          ),
        )),
      );
    }
    await vi.waitFor(
      () => {
        for (const client of clients)
          expect(framesOf(client).some((f) => f.type === 'history')).toBe(true);
      },
      // 60 replays, each a cold container on a busy machine, each telling the room it arrived.
      { timeout: 30_000 },
    );
    const texts = ['one', 'two', 'three'];
    for (const [n, text] of texts.entries()) {
      clients[n * 7]?.send(JSON.stringify({ action: 'sendmessage', message: text }));
    }
    await vi.waitFor(
      () => {
        for (const client of clients) {
          const got = framesOf(client).flatMap(messagesOf);
          expect(got.map((f) => f.text).sort()).toEqual([...texts].sort());
        }
      },
      { timeout: 15_000 },
    );
    for (const client of clients) client.close();
  });
});
