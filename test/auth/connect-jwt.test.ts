import { describe, expect, it } from 'vitest';
import { tokenProtocol } from '../../src/protocol/subprotocol.js';
import { connectEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { epochSeconds, offeringToken, signJwt } from '../support/tokens.js';

const SECRET = 'connect-jwt-test-secret';
process.env.CONNECT_JWT_SECRET = SECRET;

const { table, invoke } = useHandler();

const token = (claims: Record<string, unknown>) =>
  signJwt({ exp: epochSeconds(600), sub: 'user-1', ...claims }, SECRET);

/** A `$connect` with this query, offering a token with these claims as the browser does. */
const connectWith = (id: string, query: Record<string, string>, claims: Record<string, unknown>) =>
  connectEvent(id, query, offeringToken(token(claims)));

const CHAT = { 'Sec-WebSocket-Protocol': 'chat' };

/** A `$connect` whose client offered these subprotocols, as a browser sends them. */
const offering = (id: string, query: Record<string, string>, ...protocols: string[]) =>
  connectEvent(id, query, { headers: { 'Sec-WebSocket-Protocol': protocols.join(', ') } });

/** Connects with `?name=` and a token whose name claim is `claimed`; what it got and stored. */
const connectNamed = async (id: string, name: string, claimed: string) => {
  const answer = await invoke(connectWith(id, { room: 'jwt', name }, { name: claimed }));
  return { ...answer, stored: (await table.store.getConnection(id))?.name };
};

describe('$connect in JWT mode', () => {
  it('takes the name from the token only, ignoring ?name= even when it is valid', async () => {
    expect(await connectNamed('j-1', 'admin', 'sam')).toEqual({
      statusCode: 200,
      headers: CHAT,
      stored: 'sam',
    });
  });

  it('ignores a ?name= that would break the rules, since it is never used', async () => {
    expect(await connectNamed('j-2', '\u202e', 'kim')).toEqual({
      statusCode: 200,
      headers: CHAT,
      stored: 'kim',
    });
  });

  it('refuses a token without a name claim, even with ?name=, and stores nothing', async () => {
    const event = connectWith('j-3', { room: 'jwt', name: 'alice' }, { sub: 'u' });
    expect(await invoke(event)).toEqual({
      statusCode: 401,
      body: 'the token must carry a name claim',
    });
    expect(await table.store.getConnection('j-3')).toBeUndefined();
  });

  it('refuses a name claim that breaks the rules with the rule in the body', async () => {
    const event = connectWith('j-4', { room: 'jwt' }, { name: 'ali\u200bce' });
    const result = await invoke(event);
    expect(result).toMatchObject({ statusCode: 401 });
    expect(result?.body).toMatch(
      /^the token's name claim is not allowed: name must not contain invisible/,
    );
    expect(await table.store.getConnection('j-4')).toBeUndefined();
  });

  it('stores the normalised name claim', async () => {
    await invoke(connectWith('j-5', { room: 'jwt' }, { name: ' ｓａｍ ' }));
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
      expect(await invoke(connectEvent(id, { room: 'jwt' }, offeringToken(forever)))).toMatchObject(
        { statusCode: 401 },
      );
    }
  });

  it('refuses a token without sub, so a name never owns anyone’s messages, and stores nothing', async () => {
    const nameless = signJwt({ name: 'sam', exp: epochSeconds(600) }, SECRET);
    expect(await invoke(connectEvent('j-9', { room: 'jwt' }, offeringToken(nameless)))).toEqual({
      statusCode: 401,
      body: 'the token must carry a "sub" claim saying who the user is',
    });
    expect(await table.store.getConnection('j-9')).toBeUndefined();
  });

  it('refuses a valid token in the query with 400, saying to offer it as the subprotocol', async () => {
    const event = connectEvent('j-10', { room: 'jwt', token: token({ name: 'sam' }) });
    expect(await invoke(event)).toEqual({
      statusCode: 400,
      body: 'a token in the query is refused: offer it as the "token." subprotocol beside "chat"',
    });
    expect(await table.store.getConnection('j-10')).toBeUndefined();
  });
});
