import { randomUUID } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { useChatServer } from '../support/chat-server.js';
import { openClient, type RecordingClient } from './fixtures/clients.js';

interface Totals {
  name: string;
  route?: string;
  total: { count: number; sum: number };
}

/** The first frame a client got that `match`es, once it has come. */
const frame = (
  client: RecordingClient,
  match: (frame: { type: string; text?: string }) => boolean,
) =>
  vi.waitFor(
    () => {
      const found = client.received.map((text) => JSON.parse(text)).find(match);
      if (!found) throw new Error(`no such frame yet in ${JSON.stringify(client.received)}`);
      return found;
    },
    { timeout: 10_000 },
  );

describe('the dashboard of the real chat', () => {
  const chat = useChatServer();

  it('counts the sends and the posts they delivered, from the handler’s own metrics', async () => {
    const dashboard = `${new URL(chat.pageUrl({})).origin}/dashboard/data`;
    const room = `r-${randomUUID().slice(0, 8)}`;
    const [alice, bob] = await Promise.all(
      ['alice', 'bob'].map((name) => openClient(`${chat.wsUrl}/?room=${room}&name=${name}`)),
    );
    if (!alice || !bob) throw new Error('two clients');
    for (const text of ['one', 'two', 'three']) {
      alice.send(JSON.stringify({ action: 'sendmessage', message: text, id: randomUUID() }));
      await frame(bob, (f) => f.type === 'message' && f.text === text);
    }
    const totals = (series: Totals[], name: string, route?: string) =>
      series.find((s) => s.name === name && s.route === route)?.total.sum ?? 0;
    await vi.waitFor(
      async () => {
        const { series } = (await (await fetch(dashboard)).json()) as { series: Totals[] };
        expect(totals(series, 'Invocations', 'sendmessage')).toBe(3);
        // Each message reached both members.
        expect(totals(series, 'PostsDelivered')).toBeGreaterThanOrEqual(6);
        expect(totals(series, 'MessagesSent')).toBe(3);
      },
      { timeout: 10_000 },
    );
  });
});
