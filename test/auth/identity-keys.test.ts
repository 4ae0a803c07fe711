import { createHmac } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { KEY_PROTOCOL_PREFIX } from '../../src/protocol/subprotocol.js';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { keyProtocols, newKey, offeringKey } from '../support/keys.js';
import { seedRoom } from '../support/table.js';

// A configured pepper, so that the test can make the identities the server should make.
const PEPPER = 'identity-keys-pepper';
useFileEnv({ PEPPER, AWS_LAMBDA_LOG_LEVEL: 'debug' });

const { table, aws, invoke, runInvocations, logs } = useHandler();

type Frame = Record<string, unknown>;

const hmac = (data: string | Uint8Array) =>
  createHmac('sha256', PEPPER).update(data).digest('base64url');

/** The author the doc gives a key: `key:` + base64url(HMAC-SHA256(pepper, key bytes)). */
const authorOf = (key: Uint8Array) => `key:${hmac(key)}`;

/** The public id the doc gives an author: 16 base64url characters of HMAC(pepper, `user:` + author). */
const userIdOf = (author: string) => hmac(`user:${author}`).slice(0, 16);

/** Connects (offering `key`, when given) and runs its replay; what the connection was sent. */
const join = async (id: string, query: Record<string, string>, key?: Uint8Array) => {
  const answer = await invoke(connectEvent(id, query, key ? offeringKey(key) : {}));
  expect(answer).toMatchObject({ statusCode: 200 });
  await runInvocations();
  return aws.delivered(id);
};

const ask = (id: string, frame: Frame) => invoke(messageEvent(id, JSON.stringify(frame)));

const sessionOf = (id: string) => aws.delivered(id).find((f) => f.type === 'session');

/** Every item of the table, as stored. */
const everyItem = async () =>
  (await table.client.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];

describe('identity by key', () => {
  it('gives a key the same userId across connections and rooms, and another key another one', async () => {
    const key = newKey();
    await join('same-1', { room: 'id-a', name: 'alice' }, key);
    await join('same-2', { room: 'id-b', name: 'alicia' }, key);
    await join('other', { room: 'id-a', name: 'alice' }, newKey());
    const expected = userIdOf(authorOf(key));
    expect(sessionOf('same-1')?.userId).toBe(expected);
    expect(sessionOf('same-2')?.userId).toBe(expected);
    expect(sessionOf('other')?.userId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(sessionOf('other')?.userId).not.toBe(expected);
    expect(await table.store.getConnection('same-2')).toMatchObject({
      author: authorOf(key),
      userId: expected,
      capabilities: ['read', 'send'],
    });
  });

  it('sends the session frame first, before the history, with who the connection is', async () => {
    await seedRoom(table.store, 'first', 2);
    const key = newKey();
    const frames = await join('first-1', { room: 'first', name: 'alice' }, key);
    expect(frames.map((f) => f.type)).toEqual(['session', 'history', 'presence']);
    expect(frames[0]).toEqual({
      type: 'session',
      room: 'first',
      userId: userIdOf(authorOf(key)),
      name: 'alice',
      capabilities: ['read', 'send'],
      settings: { slowModeSeconds: 0, readOnly: false },
    });
    // A resume gets it first too.
    const resumed = await join('first-2', { room: 'first', name: 'alice', since: '1' }, key);
    expect(resumed.map((f) => f.type)).toEqual(['session', 'history', 'presence']);
  });

  it('puts the sender’s userId on its messages, live and in history; older messages have none', async () => {
    await seedRoom(table.store, 'stamped', 1);
    const key = newKey();
    await join('stamp-1', { room: 'stamped', name: 'alice' }, key);
    const userId = userIdOf(authorOf(key));
    aws.reset();
    await invoke(sendFrame('stamp-1', { message: 'hello' }));
    expect(aws.delivered('stamp-1')).toEqual([
      expect.objectContaining({ type: 'message', seq: 2, sender: 'alice', userId, text: 'hello' }),
    ]);
    aws.reset();
    await ask('stamp-1', { action: 'history' });
    const [page] = aws.delivered('stamp-1');
    expect(page?.messages).toEqual([
      expect.not.objectContaining({ userId: expect.anything() }),
      expect.objectContaining({ seq: 2, userId }),
    ]);
  });

  it('keeps the key itself out of every frame, log line and item, and the author out of every frame', async () => {
    const key = newKey();
    aws.reset();
    await join('secret-1', { room: 'secret', name: 'alice' }, key);
    await invoke(sendFrame('secret-1', { message: 'a message', id: 'secret-id' }));
    await ask('secret-1', { action: 'typing' });
    await ask('secret-1', { action: 'who' });
    await ask('secret-1', { action: 'history' });
    const posted = JSON.stringify(aws.posts);
    const forms = [key.toString('base64url'), key.toString('base64'), key.toString('hex')];
    for (const form of forms) {
      expect(posted).not.toContain(form);
      expect(JSON.stringify(logs)).not.toContain(form);
      expect(JSON.stringify(await everyItem())).not.toContain(form);
    }
    expect(posted).not.toContain(hmac(key));
    expect(posted).toContain(userIdOf(authorOf(key)));
  });

  it.each([
    ['42 characters', `${KEY_PROTOCOL_PREFIX}${newKey().toString('base64url').slice(0, 42)}`],
    ['44 characters', `${KEY_PROTOCOL_PREFIX}${newKey().toString('base64url')}A`],
    ['padded', `${KEY_PROTOCOL_PREFIX}${newKey().toString('base64')}`],
    ['not base64url', `${KEY_PROTOCOL_PREFIX}${'+'.repeat(43)}`],
    ['of bits past the 32 bytes', `${KEY_PROTOCOL_PREFIX}${'A'.repeat(42)}B`],
    ['empty', KEY_PROTOCOL_PREFIX],
  ])('refuses a key subprotocol %s with 400, storing nothing', async (_, protocol) => {
    const id = `bad-${protocol.length}-${protocol.slice(-3)}`;
    const answer = await invoke(
      connectEvent(
        id,
        { room: 'keys' },
        { headers: { 'Sec-WebSocket-Protocol': `chat, ${protocol}` } },
      ),
    );
    expect(answer).toEqual({
      statusCode: 400,
      body: 'the key subprotocol must be "key." + base64url of 32 bytes without padding (43 characters)',
    });
    expect(await table.store.getConnection(id)).toBeUndefined();
  });

  it('refuses two key subprotocols, or a key without chat, with 400', async () => {
    const [one, two] = [keyProtocols(newKey())[1], keyProtocols(newKey())[1]];
    const offering = (protocols: string) => ({ headers: { 'Sec-WebSocket-Protocol': protocols } });
    expect(await invoke(connectEvent('two-keys', {}, offering(`chat, ${one}, ${two}`)))).toEqual({
      statusCode: 400,
      body: 'give one key subprotocol, not several',
    });
    expect(await invoke(connectEvent('no-chat', {}, offering(`${one}`)))).toEqual({
      statusCode: 400,
      body: 'offer the "chat" subprotocol beside the key',
    });
    expect(await table.store.getConnection('two-keys')).toBeUndefined();
    expect(await table.store.getConnection('no-chat')).toBeUndefined();
  });

  it('gives a connection without a key an identity of its own: two keyless alices cannot edit each other’s messages', async () => {
    await join('keyless-1', { room: 'keyless', name: 'alice' });
    await join('keyless-2', { room: 'keyless', name: 'alice' });
    expect(sessionOf('keyless-1')?.userId).not.toBe(sessionOf('keyless-2')?.userId);
    await invoke(sendFrame('keyless-1', { message: 'first alice' }));
    aws.reset();
    await ask('keyless-2', { action: 'editmessage', seq: 1, message: 'second alice' });
    await ask('keyless-2', { action: 'deletemessage', seq: 1 });
    expect(aws.delivered('keyless-2')).toEqual([
      {
        type: 'error',
        code: 'forbidden',
        action: 'editmessage',
        message: 'only its author can edit message 1',
      },
      {
        type: 'error',
        code: 'forbidden',
        action: 'deletemessage',
        message: 'only its author can delete message 1',
      },
    ]);
    expect((await table.store.readAfter('keyless', 0, 10)).messages).toEqual([
      expect.objectContaining({ seq: 1, text: 'first alice' }),
    ]);
  });

  it('refuses a stranger using alice’s name, and lets alice’s key edit and delete after a reload', async () => {
    const key = newKey();
    await join('owner', { room: 'owned', name: 'alice' }, key);
    await invoke(sendFrame('owner', { message: 'mine' }));
    await join('stranger', { room: 'owned', name: 'alice' }, newKey());
    aws.reset();
    await ask('stranger', { action: 'editmessage', seq: 1, message: 'not yours' });
    await ask('stranger', { action: 'deletemessage', seq: 1 });
    expect(aws.delivered('stranger').map((f) => [f.code, f.action])).toEqual([
      ['forbidden', 'editmessage'],
      ['forbidden', 'deletemessage'],
    ]);
    // Alice reloads the page: a new connection, under another name, with her key.
    await join('owner-again', { room: 'owned', name: 'alice-2' }, key);
    aws.reset();
    await ask('owner-again', { action: 'editmessage', seq: 1, message: 'still mine' });
    await ask('owner-again', { action: 'deletemessage', seq: 1 });
    expect(aws.delivered('owner-again')).toEqual([
      expect.objectContaining({ type: 'edit', target: 1, text: 'still mine' }),
      expect.objectContaining({ type: 'delete', target: 1 }),
    ]);
  });
});
