import { createHash, createHmac } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { idempotencyKey, pepperKey } from '../../src/store/dynamo/keys.js';
import { createStore } from '../../src/store/index.js';
import { recordCommands } from '../support/command-recorder.js';
import { serviceError } from '../support/faults.js';
import { anotherContainer, anotherStore, useTable } from '../support/table.js';

const table = useTable();
// How long a client id is remembered, as documented (docs/protocol.md, "Client to server" and
// "Limits"): written here, not imported, so that a change to the constant in src fails.
const ID_WINDOW_SECONDS = 24 * 60 * 60;

const alice = { author: 'name:alice', sender: 'alice' };

const send = (room: string, text: string, id: string, store = table.store) =>
  store.appendMessage({ room, ...alice, text, id });

const idRecord = async (room: string, id: string, author = alice.author) =>
  (
    await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: idempotencyKey(room, author, id) }),
    )
  ).Item;

const hmac = (key: Buffer | string, ...parts: string[]) =>
  createHmac('sha256', key).update(JSON.stringify(parts)).digest('base64url');

describe('the fingerprint of an id record', () => {
  it('is an HMAC of room, author, id and text under the configured pepper, never a plain hash of the text', async () => {
    const store = createStore({
      client: table.client,
      tableName: table.tableName,
      pepper: async () => 'configured pepper',
    });
    await send('keyed', 'guess me', 'k-1', store);
    const { fingerprint } = (await idRecord('keyed', 'k-1')) ?? {};
    expect(fingerprint).toBe(hmac('configured pepper', 'keyed', 'name:alice', 'k-1', 'guess me'));
    expect(fingerprint).not.toBe(createHash('sha256').update('guess me').digest('base64url'));
    // The same text and id in another room is bound to that room.
    await send('keyed-too', 'guess me', 'k-1', store);
    expect((await idRecord('keyed-too', 'k-1'))?.fingerprint).not.toBe(fingerprint);
  });

  it('is keyed by a pepper the table makes for itself when none is configured, one for every container', async () => {
    const containers = Array.from({ length: 8 }, () => anotherStore(table));
    await Promise.all(containers.map((store, n) => send('own-pepper', `m${n}`, `o-${n}`, store)));
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: pepperKey }),
    );
    const pepper = Buffer.from(Item?.pepper as string, 'base64url');
    expect(pepper).toHaveLength(32);
    for (const n of containers.keys()) {
      expect((await idRecord('own-pepper', `o-${n}`))?.fingerprint).toBe(
        hmac(pepper, 'own-pepper', 'name:alice', `o-${n}`, `m${n}`),
      );
    }
    // A retry through a container that read the pepper later is still a retry.
    expect((await send('own-pepper', 'm3', 'o-3', anotherStore(table))).duplicate).toBe(true);
  });

  it('refuses to store a message with an id while a configured pepper cannot be read', async () => {
    const store = createStore({
      client: table.client,
      tableName: table.tableName,
      pepper: () => Promise.reject(new Error('parameter unreadable')),
    });
    await expect(send('no-pepper', 'hello', 'n-1', store)).rejects.toThrow('parameter unreadable');
    expect(await table.store.lastSeq('no-pepper')).toBe(0);
    expect(await idRecord('no-pepper', 'n-1')).toBeUndefined();
    // Without an id there is nothing to fingerprint.
    await store.appendMessage({ room: 'no-pepper', ...alice, text: 'hello' });
    expect(await table.store.lastSeq('no-pepper')).toBe(1);
  });

  it('costs one read of the table’s pepper per container, however many messages it stores', async () => {
    const { client, store } = anotherContainer(table);
    const recorder = recordCommands(client);
    for (const n of [1, 2, 3]) await send('pepper-reads', `m${n}`, `r-${n}`, store);
    const pepperReads = recorder.commands.filter(
      ({ operation, input }) =>
        operation === 'GetItem' && (input.Key as { pk: string }).pk === pepperKey.pk,
    );
    expect(pepperReads).toHaveLength(1);
  });
});

describe('the id record of a deleted message', () => {
  it('keeps no fingerprint once its message is deleted, and still answers its id until the window ends', async () => {
    const { message } = await send('forget', 'a secret', 'f-1');
    await table.store.deleteMessage({ room: 'forget', target: message.seq, ...alice });
    const record = await idRecord('forget', 'f-1');
    expect(record).toMatchObject({ seq: message.seq, expiresAt: expect.any(Number) });
    expect(record).not.toHaveProperty('fingerprint');
  });

  it('answers a resend of its id with the deletion, whatever text comes with it', async () => {
    const { message } = await send('guesses', 'the real secret', 'g-1');
    await table.store.deleteMessage({ room: 'guesses', target: message.seq, ...alice });
    const right = await send('guesses', 'the real secret', 'g-1');
    const wrong = await send('guesses', 'a wrong guess', 'g-1');
    expect(wrong).toEqual(right);
    expect(right).toMatchObject({ duplicate: true, message: { seq: 1, text: '', deleted: true } });
    expect(await table.store.lastSeq('guesses')).toBe(2);
  });

  it('answers the deletion even when the deletion could not clear the fingerprint, which the purge then clears', async () => {
    const { client, store } = anotherContainer(table);
    // Every update of an id record fails: the deletion itself is stored all the same.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: { pk?: string } }).Key;
        if (context.commandName === 'UpdateItemCommand' && key?.pk?.startsWith('IDEM#')) {
          throw serviceError('InternalServerError', 500);
        }
        return next(args);
      },
      { step: 'initialize', name: 'fail-id-record-updates' },
    );
    const { message } = await send('uncleared', 'still a secret', 'u-1');
    const deletion = await store.deleteMessage({ room: 'uncleared', target: 1, ...alice });
    expect(deletion).toMatchObject({ duplicate: false, update: { target: 1, deleted: true } });
    expect(await idRecord('uncleared', 'u-1')).toHaveProperty('fingerprint');
    const wrong = await send('uncleared', 'a wrong guess', 'u-1');
    expect(wrong).toMatchObject({ duplicate: true, message: { seq: message.seq, deleted: true } });
    expect(wrong).toEqual(await send('uncleared', 'still a secret', 'u-1'));

    await table.store.purgeDeletedTexts('uncleared');
    expect(await idRecord('uncleared', 'u-1')).not.toHaveProperty('fingerprint');
  });

  it('clears only the record of that very message: an id used again after its window is another’s', async () => {
    let now = Date.parse('2026-11-26T12:00:00.000Z');
    const store = anotherStore(table, () => now);
    await send('reused', 'first text', 'x-1', store);
    now += (ID_WINDOW_SECONDS + 1) * 1000;
    const second = await send('reused', 'second text', 'x-1', store);
    await store.deleteMessage({ room: 'reused', target: 1, ...alice });
    expect(await idRecord('reused', 'x-1')).toMatchObject({
      seq: second.message.seq,
      fingerprint: expect.any(String),
    });
    expect(await send('reused', 'second text', 'x-1', store)).toMatchObject({
      duplicate: true,
      message: { seq: second.message.seq, text: 'second text' },
    });
  });
});
