import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useChatServer } from '../support/chat-server.js';
import { connectClient, type TestClient } from '../support/ws-client.js';
import { connectCorpus, frameCorpus } from './corpus.js';

const server = useChatServer({ RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '1000' });
const url = (query: Record<string, string>) => `${server.wsUrl}/?${new URLSearchParams(query)}`;

describe('hostile input through the emulator', () => {
  let attacker: TestClient;
  let bystander: TestClient;
  let victim: TestClient;
  beforeAll(async () => {
    // Each settled (history and presence in, bob's join announced) before the corpus starts.
    attacker = await connectClient(url({ room: 'hostile', name: 'mallory' }));
    await attacker.next((f) => f.type === 'presence');
    bystander = await connectClient(url({ room: 'hostile', name: 'bob' }));
    victim = await connectClient(url({ room: 'victim', name: 'alice' }));
    for (const client of [bystander, victim]) await client.next((f) => f.type === 'presence');
    await attacker.next((f) => f.type === 'join' && f.name === 'bob');
  });

  it.each(frameCorpus)('answers %s as documented', async (_case, frame, expected) => {
    const before = await server.store.lastSeq('hostile');
    const seen = { attacker: attacker.frames.length, bystander: bystander.frames.length };
    attacker.ws.send(frame);
    if ('error' in expected) {
      const answer = await attacker.next(
        (f) => f.type === 'error' && attacker.frames.indexOf(f) >= seen.attacker,
      );
      expect(answer).toMatchObject({ type: 'error', code: expected.error });
      expect(await server.store.lastSeq('hostile')).toBe(before);
      expect(bystander.frames.slice(seen.bystander)).toEqual([]);
    } else {
      const echo = await bystander.next((f) => f.type === 'message' && f.seq === before + 1);
      expect(echo).toMatchObject({ room: 'hostile', sender: 'mallory', text: expected.stored });
      expect(echo.sentAt).not.toBe('1999-01-01T00:00:00.000Z');
    }
    expect(attacker.ws.readyState).toBe(WebSocket.OPEN);
    const welcome = ['session', 'history', 'presence'];
    expect(victim.frames.filter((f) => !welcome.includes(f.type as string))).toEqual([]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('keeps the attacker connected and chatting after the whole corpus', async () => {
    attacker.ws.send(JSON.stringify({ action: 'sendmessage', message: 'still here' }));
    await bystander.next((f) => f.text === 'still here');
    const log = await server.store.readAfter('hostile', 0, 100);
    expect(log.messages.map((m) => m.seq)).toEqual(log.messages.map((_, i) => i + 1));
    expect(await server.store.lastSeq('victim')).toBe(0);
  });

  it('closes a binary frame with 1003, as API Gateway does, and the room carries on', async () => {
    const client = await connectClient(url({ room: 'hostile', name: 'binary' }));
    client.ws.send(Buffer.from([1, 2, 3]));
    expect((await client.closed).code).toBe(1003);
    expect(bystander.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('closes a frame over 32 KiB with 1009, as API Gateway does, and stores nothing', async () => {
    const client = await connectClient(url({ room: 'hostile', name: 'huge' }));
    const before = await server.store.lastSeq('hostile');
    client.ws.send(JSON.stringify({ action: 'sendmessage', message: 'x'.repeat(33 * 1024) }));
    expect((await client.closed).code).toBe(1009);
    expect(await server.store.lastSeq('hostile')).toBe(before);
  });

  it.each(connectCorpus)('refuses a connect with %s with HTTP 400', async (_case, query) => {
    await expect(connectClient(url(query))).rejects.toThrow('HTTP 400');
  });
});
