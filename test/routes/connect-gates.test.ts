import { describe, expect, it } from 'vitest';
import { connectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';
import { offeringToken } from '../support/tokens.js';

process.env.CONNECT_SECRET = 'letmein';
process.env.ALLOWED_ORIGINS = 'https://chat.example.com, http://127.0.0.1:3001';

const { table, invoke } = useHandler();

describe('$connect with a secret and an origin allow-list configured', () => {
  it('refuses a missing token with 401 and a foreign origin with 403, storing nothing', async () => {
    expect(await invoke(connectEvent('g-1', { room: 'gated' }))).toMatchObject({ statusCode: 401 });
    const foreign = connectEvent('g-2', { room: 'gated' }, offeringToken('letmein'));
    foreign.headers = { ...foreign.headers, Origin: 'https://evil.example' };
    expect(await invoke(foreign)).toMatchObject({ statusCode: 403 });
    expect(await table.store.getConnection('g-1')).toBeUndefined();
    expect(await table.store.getConnection('g-2')).toBeUndefined();
  });

  it('accepts the right token from an allowed origin, and never stores the token', async () => {
    const event = connectEvent('g-3', { room: 'gated', name: 'alice' }, offeringToken('letmein'));
    event.headers = { ...event.headers, Origin: 'https://chat.example.com' };
    expect(await invoke(event)).toEqual({
      statusCode: 200,
      headers: { 'Sec-WebSocket-Protocol': 'chat' },
    });
    const stored = await table.store.getConnection('g-3');
    expect(stored).toMatchObject({ room: 'gated', name: 'alice' });
    expect(JSON.stringify(stored)).not.toContain('letmein');
  });

  it('makes a service client’s key its author under the shared secret, as in open mode', async () => {
    const key = newKey();
    for (const id of ['g-4', 'g-5']) {
      const event = connectEvent(id, { room: 'gated', name: 'bot' }, offeringKey(key, 'letmein'));
      expect(await invoke(event)).toMatchObject({ statusCode: 200 });
    }
    const [first, second] = await Promise.all(['g-4', 'g-5'].map(table.store.getConnection));
    expect(first?.author).toMatch(/^key:[A-Za-z0-9_-]{43}$/);
    expect(second).toMatchObject({ author: first?.author, userId: first?.userId });
    expect(first?.capabilities).toEqual(['read', 'send']);
  });
});
