import { describe, expect, it } from 'vitest';
import { tokenProtocol } from '../../src/protocol/subprotocol.js';
import { connectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { epochSeconds, signJwt } from '../support/tokens.js';

const SECRET = 'connect-jwt-test-secret';
process.env.CONNECT_JWT_SECRET = SECRET;

const { table, invoke } = useHandler();

const token = (claims: Record<string, unknown>) =>
  signJwt({ exp: epochSeconds(600), ...claims }, SECRET);

/** A `$connect` whose client offered these subprotocols, as a browser sends them. */
const offering = (id: string, query: Record<string, string>, ...protocols: string[]) =>
  connectEvent(id, query, { headers: { 'Sec-WebSocket-Protocol': protocols.join(', ') } });

/** Connects with `?name=` and a token whose name claim is `claimed`; what it got and stored. */
const connectNamed = async (id: string, name: string, claimed: string) => {
  const answer = await invoke(
    connectEvent(id, { room: 'jwt', name, token: token({ name: claimed }) }),
  );
  return { ...answer, stored: (await table.store.getConnection(id))?.name };
};

describe('$connect in JWT mode', () => {
  it('takes the name from the token only, ignoring ?name= even when it is valid', async () => {
    expect(await connectNamed('j-1', 'admin', 'sam')).toEqual({ statusCode: 200, stored: 'sam' });
  });

  it('ignores a ?name= that would break the rules, since it is never used', async () => {
    expect(await connectNamed('j-2', '\u202e', 'kim')).toEqual({ statusCode: 200, stored: 'kim' });
  });

  it('refuses a token without a name claim, even with ?name=, and stores nothing', async () => {
    const event = connectEvent('j-3', { room: 'jwt', name: 'alice', token: token({ sub: 'u' }) });
    expect(await invoke(event)).toEqual({
      statusCode: 401,
      body: 'the token must carry a name claim',
    });
    expect(await table.store.getConnection('j-3')).toBeUndefined();
  });

  it('refuses a name claim that breaks the rules with the rule in the body', async () => {
    const event = connectEvent('j-4', { room: 'jwt', token: token({ name: 'ali\u200bce' }) });
    const result = await invoke(event);
    expect(result).toMatchObject({ statusCode: 401 });
    expect(result?.body).toMatch(
      /^the token's name claim is not allowed: name must not contain invisible/,
    );
    expect(await table.store.getConnection('j-4')).toBeUndefined();
  });

  it('stores the normalised name claim', async () => {
    await invoke(connectEvent('j-5', { room: 'jwt', token: token({ name: ' ｓａｍ ' }) }));
    expect(await table.store.getConnection('j-5')).toMatchObject({ name: 'sam' });
  });

  it('accepts the token from the subprotocol and answers with the chat subprotocol', async () => {
    const event = offering('j-6', { room: 'jwt' }, 'chat', tokenProtocol(token({ name: 'lee' })));
    expect(await invoke(event)).toEqual({
      statusCode: 200,
      headers: { 'Sec-WebSocket-Protocol': 'chat' },
    });
    expect(await table.store.getConnection('j-6')).toMatchObject({ name: 'lee' });
  });

  it('refuses a token without exp, or with exp as text, that the old check let in forever', async () => {
    for (const [id, claims] of [
      ['j-7', { name: 'sam' }],
      ['j-8', { name: 'sam', exp: '1' }],
    ] as const) {
      const forever = signJwt(claims, SECRET);
      expect(await invoke(connectEvent(id, { room: 'jwt', token: forever }))).toMatchObject({
        statusCode: 401,
      });
    }
  });
});
