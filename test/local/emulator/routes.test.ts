import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_ROUTE_KEYS, routeKeyForBody } from '../../../local/emulator/routes.js';
import { openClient } from '../fixtures/clients.js';
import { startEmulator } from '../fixtures/emulator.js';
import { recorder } from '../fixtures/recorder.js';

const keys = new Set<string>(DEFAULT_ROUTE_KEYS);

describe('route selection on $request.body.action', () => {
  it.each([
    ['{"action":"sendmessage","message":"hi"}', 'sendmessage'],
    ['{"action":"history"}', 'history'],
  ])('selects the route whose key equals the action: %s', (body, route) => {
    expect(routeKeyForBody(body, keys)).toBe(route);
  });

  it.each([
    ['an action in another case', '{"action":"SendMessage"}'],
    ['an unknown action', '{"action":"dance"}'],
    ['no action', '{"message":"hi"}'],
    ['a non-string action', '{"action":1}'],
    ['the action __proto__', '{"action":"__proto__"}'],
    ['the action constructor', '{"action":"constructor"}'],
    ['an action hidden under __proto__', '{"__proto__":{"action":"sendmessage"}}'],
    ['a reserved route key', '{"action":"$connect"}'],
    ['the action $default', '{"action":"$default"}'],
    ['a JSON array', '[{"action":"sendmessage"}]'],
    ['a JSON string', '"sendmessage"'],
    ['text that is not JSON', 'sendmessage'],
    ['an empty body', ''],
  ])('sends %s to $default', (_case, body) => {
    expect(routeKeyForBody(body, keys)).toBe('$default');
  });

  it('routes a real client frame by its action, and everything else to $default', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler);
    const client = await openClient(emulator.wsUrl);
    const bodies = [
      '{"action":"sendmessage","message":"hi"}',
      '{"action":"history"}',
      '{"action":"__proto__"}',
      'not json',
      '{"action":"SENDMESSAGE"}',
    ];
    for (const body of bodies) client.send(body);
    await vi.waitFor(() => expect(rec.calls).toHaveLength(1 + bodies.length));
    const routed = Object.fromEntries(
      rec.calls.slice(1).map(({ event }) => [event.body, event.requestContext.routeKey]),
    );
    expect(routed).toEqual({
      '{"action":"sendmessage","message":"hi"}': 'sendmessage',
      '{"action":"history"}': 'history',
      '{"action":"__proto__"}': '$default',
      'not json': '$default',
      '{"action":"SENDMESSAGE"}': '$default',
    });
  });

  it('selects among the route keys it was given', async () => {
    const rec = recorder();
    const emulator = await startEmulator(rec.handler, { routeKeys: ['ping'] });
    const client = await openClient(emulator.wsUrl);
    client.send('{"action":"ping"}');
    client.send('{"action":"sendmessage"}');
    await vi.waitFor(() => expect(rec.calls).toHaveLength(3));
    const routes = rec.calls.slice(1).map(({ event }) => event.requestContext.routeKey);
    expect(routes.sort()).toEqual(['$default', 'ping']);
    expect(rec.events('ping')[0].body).toBe('{"action":"ping"}');
  });
});
