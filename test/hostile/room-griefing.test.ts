import { describe, expect, it } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { connectClient, type TestClient } from '../support/ws-client.js';

/**
 * Griefing a room from several networks, against the real emulator with real clients, each
 * network a loopback address of its own (127.0.0.2, 127.0.0.3, …: all loopback on Linux).
 * Nothing refills while the test runs: a room of 100 write units (50 short messages), a fifth of
 * it per network. docs/reliability.md#attacks-before-and-after has the before and after.
 */
const server = useChatServer(
  {
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_BURST: '1000',
    SOURCE_RATE_PER_SECOND: '0',
    SOURCE_CONNECTS_PER_MINUTE: '0',
    SOURCE_HISTORY_PER_MINUTE: '0',
    ROOM_RATE_PER_SECOND: '0.01',
    ROOM_RATE_BURST: '100',
    ROOM_NETWORK_SHARE: '0.2',
    // Hundreds of refusals: their log lines are not what this test reads.
    AWS_LAMBDA_LOG_LEVEL: 'warn',
  },
  // In-process, as in attacks.test.ts: a flood in containers would cold-start one per frame.
  { runtime: 'in-process' },
);

const joinFrom = async (localAddress: string, name: string) => {
  const query = new URLSearchParams({ room: 'griefed', name });
  const client = await connectClient(`${server.wsUrl}/?${query}`, { localAddress });
  await client.next((f) => f.type === 'history');
  return client;
};

const send = (client: TestClient, message: string) =>
  client.ws.send(JSON.stringify({ action: 'sendmessage', message }));

describe('three networks flooding a room', () => {
  it('leave a fourth network’s member heard: its 10 messages all stored', async () => {
    const flooders = await Promise.all(
      ['127.0.0.2', '127.0.0.3', '127.0.0.4'].map((ip, n) => joinFrom(ip, `flood${n}`)),
    );
    const member = await joinFrom('127.0.0.5', 'member');
    // 120 short messages (2 write units each) where the room takes 50 and a network 10.
    for (const [n, flooder] of flooders.entries()) {
      for (let m = 0; m < 40; m++) send(flooder, `flood${n} ${m}`);
    }
    // Each network's share, stored: what the room has left cannot change any more.
    const stored = async () => server.store.lastSeq('griefed');
    for (let waited = 0; (await stored()) < 30 && waited < 200; waited++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (let m = 0; m < 10; m++) send(member, `member ${m}`);
    const mine = () => member.frames.filter((f) => f.sender === 'member').length;
    const refused = () => member.frames.filter((f) => f.code === 'rate_limited').length;
    await member.next(() => mine() === 10 || refused() > 0, 20_000);
    expect(refused()).toBe(0);
    expect(mine()).toBe(10);
    const log = await server.store.readAfter('griefed', 0, 200);
    expect(log.skipped).toEqual([]);
    const bySender = new Map<string, number>();
    for (const message of log.messages) {
      bySender.set(message.sender, (bySender.get(message.sender) ?? 0) + 1);
    }
    expect(Object.fromEntries(bySender)).toEqual({
      flood0: 10,
      flood1: 10,
      flood2: 10,
      member: 10,
    });
    for (const flooder of flooders) {
      const refusal = await flooder.next((f) => f.code === 'rate_limited');
      expect(refusal.message).toContain('room "griefed" is busy for your network');
    }
    for (const client of [...flooders, member]) client.ws.close();
  });
});
