import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { messageKey, revisionKey } from '../../src/store/dynamo/keys.js';
import {
  HOLE_GRACE_MS,
  MessageDeletedError,
  MessageNotFoundError,
  NotAuthorError,
  RoomBusyError,
  StoreThrottledError,
} from '../../src/store/index.js';
import { injectFault, serviceError } from '../support/faults.js';
import { anotherContainer, anotherStore, roomItems, useTable } from '../support/table.js';

const table = useTable();

const by = (name: string) => ({ author: `name:${name}`, sender: name });

const post = (room: string, text: string, name = 'alice', id?: string) =>
  table.store.appendMessage({ room, ...by(name), text, ...(id ? { id } : {}) });

const edit = (room: string, target: number, text: string, name = 'alice', store = table.store) =>
  store.editMessage({ room, target, ...by(name), text });

const remove = (room: string, target: number, name = 'alice', store = table.store) =>
  store.deleteMessage({ room, target, ...by(name) });

/** Every seq from 1 to the head, as the log resolves it: nothing may be missing. */
const resolvedSeqs = async (room: string) => {
  const page = await table.store.readAfter(room, 0, 1_000);
  return [
    ...page.messages.map((m) => m.seq),
    ...(page.updates ?? []).map((u) => u.seq),
    ...page.skipped,
  ].sort((a, b) => a - b);
};

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

const revisionOf = async (room: string, seq: number) =>
  (
    await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: revisionKey(room, seq) }),
    )
  ).Item;

describe('editing and deleting messages', () => {
  it('appends an edit at a new seq and reads the message in its edited state, every edit carrying the latest text', async () => {
    const { message } = await post('edits', 'typo');
    const first = await edit('edits', message.seq, 'fixed');
    const second = await edit('edits', message.seq, 'fixed again');
    expect(first).toMatchObject({ duplicate: false, update: { seq: 2, target: 1, text: 'fixed' } });
    expect(second.update).toMatchObject({ seq: 3, target: 1, text: 'fixed again' });
    const page = await table.store.readAfter('edits', 0, 10);
    expect(page.messages).toEqual([
      {
        ...message,
        text: 'fixed again',
        editedAt: (second.update as { editedAt: string }).editedAt,
      },
    ]);
    expect(page.updates).toEqual([
      { seq: 2, target: 1, text: 'fixed again', editedAt: expect.any(String) },
      { seq: 3, target: 1, text: 'fixed again', editedAt: expect.any(String) },
    ]);
    // The original event stays as it was written: the log is append-only.
    const { Item } = await table.client.send(
      new GetCommand({ TableName: table.tableName, Key: messageKey('edits', 1) }),
    );
    expect(Item).toMatchObject({ text: 'typo', author: 'name:alice' });
  });

  it('renders updates whose target is below the page from the target’s revision', async () => {
    await post('below', 'one');
    await post('below', 'two');
    await edit('below', 1, 'one, edited');
    await remove('below', 2);
    const page = await table.store.readAfter('below', 2, 10);
    expect(page.messages).toEqual([]);
    expect(page.updates).toEqual([
      { seq: 3, target: 1, text: 'one, edited', editedAt: expect.any(String) },
      { seq: 4, target: 2, deleted: true, deletedAt: expect.any(String) },
    ]);
    const newest = await table.store.readBefore('below', undefined, 2);
    expect(newest.messages).toEqual([]);
    expect(newest.updates?.map((u) => u.seq)).toEqual([3, 4]);
    const oldest = await table.store.readBefore('below', 3, 10);
    expect(oldest.messages.map((m) => [m.seq, m.text, m.deleted])).toEqual([
      [1, 'one, edited', undefined],
      [2, '', true],
    ]);
  });

  it('counts updates towards a page’s limit, never revisions', async () => {
    await post('limits', 'a');
    await edit('limits', 1, 'a2');
    await post('limits', 'b');
    const first = await table.store.readAfter('limits', 0, 2);
    expect(first.messages.map((m) => m.text)).toEqual(['a2']);
    expect(first.updates?.map((u) => u.seq)).toEqual([2]);
    expect(first.hasMore).toBe(true);
    const top = await table.store.readBefore('limits', undefined, 1);
    expect(top.messages.map((m) => m.seq)).toEqual([3]);
    expect(top.updates).toBeUndefined();
  });

  it('sends a deleted message’s text nowhere again: messages, edits, and a retried send of its id', async () => {
    const { message } = await post('gone', 'secret', 'alice', 'g-1');
    await edit('gone', message.seq, 'edited secret');
    const deletion = await remove('gone', message.seq);
    expect(deletion).toMatchObject({
      duplicate: false,
      update: { seq: 3, target: 1, deleted: true },
    });
    const reads = [
      await table.store.readAfter('gone', 0, 10),
      await table.store.readBefore('gone', undefined, 10),
      await anotherStore(table).readAfter('gone', 1, 10),
      await post('gone', 'secret', 'alice', 'g-1'),
    ];
    for (const read of reads) expect(JSON.stringify(read)).not.toMatch(/secret/);
    const retried = reads[3] as { message: unknown; duplicate: boolean };
    expect(retried).toMatchObject({
      duplicate: true,
      message: { seq: 1, text: '', deleted: true },
    });
    expect(await revisionOf('gone', 1)).not.toHaveProperty('text');
  });

  it('answers a second delete with the deletion that happened, and stores nothing', async () => {
    await post('twice', 'x');
    const first = await remove('twice', 1);
    const second = await remove('twice', 1);
    expect(second).toEqual({ update: first.update, duplicate: true });
    expect(await table.store.lastSeq('twice')).toBe(2);
  });

  it('refuses to edit a deleted message, and stores nothing', async () => {
    await post('final', 'x');
    await remove('final', 1);
    await expect(edit('final', 1, 'back')).rejects.toBeInstanceOf(MessageDeletedError);
    expect(await table.store.lastSeq('final')).toBe(2);
  });

  it('refuses someone else’s edit or delete, and stores nothing', async () => {
    await post('mine', 'alice says', 'alice');
    await expect(edit('mine', 1, 'bob says', 'bob')).rejects.toBeInstanceOf(NotAuthorError);
    await expect(remove('mine', 1, 'bob')).rejects.toBeInstanceOf(NotAuthorError);
    await expect(
      table.store.editMessage({
        room: 'mine',
        target: 1,
        author: 'sub:u-1',
        sender: 'alice',
        text: 'x',
      }),
    ).rejects.toBeInstanceOf(NotAuthorError);
    expect(await table.store.lastSeq('mine')).toBe(1);
    expect(await revisionOf('mine', 1)).toBeUndefined();
  });

  it('finds no message past the head, at a tombstone or at an update event', async () => {
    await post('nothing', 'x');
    await edit('nothing', 1, 'y');
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...messageKey('nothing', 3), seq: 3, tombstone: true, resolvedAt: Date.now() },
      }),
    );
    for (const seq of [2, 3, 9]) {
      await expect(edit('nothing', seq, 'z')).rejects.toBeInstanceOf(MessageNotFoundError);
      await expect(remove('nothing', seq)).rejects.toBeInstanceOf(MessageNotFoundError);
    }
    expect(await table.store.lastSeq('nothing')).toBe(2);
  });

  it('treats the sender of a message stored without an author as its author', async () => {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...messageKey('legacy', 1),
          room: 'legacy',
          seq: 1,
          sender: 'ann',
          text: 'old',
          sentAt: new Date().toISOString(),
        },
      }),
    );
    await expect(edit('legacy', 1, 'new', 'bob')).rejects.toBeInstanceOf(NotAuthorError);
    expect((await edit('legacy', 1, 'new', 'ann')).update).toMatchObject({ text: 'new' });
  });

  it('charges the room’s message rate with the claim', async () => {
    // In write units: the message's claim and put (2), the edit's claim and transaction (5).
    const rate = { perSecond: 0.001, burst: 7 };
    await table.store.appendMessage(
      { room: 'rated', ...by('alice'), text: 'x' },
      { roomRate: rate },
    );
    await table.store.editMessage(
      { room: 'rated', target: 1, ...by('alice'), text: 'y' },
      { roomRate: rate },
    );
    await expect(
      table.store.deleteMessage({ room: 'rated', target: 1, ...by('alice') }, { roomRate: rate }),
    ).rejects.toBeInstanceOf(RoomBusyError);
    expect(await table.store.lastSeq('rated')).toBe(2);
  });
});

describe('concurrent updates of one message', () => {
  it('ends 20 racing edits at the highest seq’s text, with messages in between and no hole', async () => {
    await post('race-edits', 'start');
    const writers = Array.from({ length: 20 }, () => anotherStore(table));
    const results = await Promise.all(
      writers.map(async (store, n) =>
        n % 4 === 0
          ? (await store.appendMessage({ room: 'race-edits', ...by('bob'), text: `between ${n}` }))
              .message.seq
          : (await edit('race-edits', 1, `edit ${n}`, 'alice', store)).update.seq,
      ),
    );
    const head = await table.store.lastSeq('race-edits');
    expect(await resolvedSeqs('race-edits')).toEqual(range(1, head));
    const page = await table.store.readAfter('race-edits', 0, 100);
    const revision = await revisionOf('race-edits', 1);
    const highest = Math.max(...(page.updates ?? []).map((u) => u.seq));
    expect(revision?.rev).toBe(highest);
    const latest = (
      await table.client.send(
        new GetCommand({ TableName: table.tableName, Key: messageKey('race-edits', highest) }),
      )
    ).Item?.text;
    expect(page.messages[0]?.text).toBe(latest);
    for (const update of page.updates ?? []) expect(update).toMatchObject({ text: latest });
    expect(results).toHaveLength(20);
  });

  it('makes a deletion final among 20 racing edits and deletes: no hole, every update read as the deletion', async () => {
    await post('race-mixed', 'start');
    await post('race-mixed', 'other', 'bob');
    const writers = Array.from({ length: 20 }, () => anotherStore(table));
    const outcomes = await Promise.all(
      writers.map((store, n) => {
        if (n % 5 === 0)
          return store
            .appendMessage({ room: 'race-mixed', ...by('bob'), text: `between ${n}` })
            .then(() => 'message');
        const work =
          n % 3 === 0
            ? remove('race-mixed', 1, 'alice', store)
            : edit('race-mixed', 1, `secret ${n}`, 'alice', store);
        return work.then(
          (result) => (result.duplicate ? 'duplicate' : 'stored'),
          (error: Error) => error.name,
        );
      }),
    );
    expect(new Set(outcomes)).not.toContain('StoreError');
    const head = await table.store.lastSeq('race-mixed');
    expect(await resolvedSeqs('race-mixed')).toEqual(range(1, head));
    const page = await table.store.readAfter('race-mixed', 0, 100);
    expect(page.messages[0]).toMatchObject({ seq: 1, text: '', deleted: true });
    expect(JSON.stringify(page)).not.toMatch(/secret/);
    for (const update of page.updates ?? [])
      expect(update).toMatchObject({ target: 1, deleted: true });
    const revision = await revisionOf('race-mixed', 1);
    expect(revision?.rev).toBe(Math.max(...(page.updates ?? []).map((u) => u.seq)));
    expect(revision).toMatchObject({ deleted: true });
    expect(revision).not.toHaveProperty('text');
  });

  it('keeps one deletion among 10 racing deletes: the others get it back and leave no hole', async () => {
    await post('race-deletes', 'x');
    const writers = Array.from({ length: 10 }, () => anotherStore(table));
    const results = await Promise.all(
      writers.map((store) => remove('race-deletes', 1, 'alice', store)),
    );
    // The revision's condition (not yet deleted) lets one transaction through; every other
    // delete gives its claimed seq up and answers with that one deletion.
    const stored = results.filter((r) => !r.duplicate);
    expect(stored).toHaveLength(1);
    const [deletion] = stored.map((r) => r.update);
    for (const result of results) expect(result.update).toEqual(deletion);
    const page = await table.store.readAfter('race-deletes', 0, 100);
    expect(page.updates).toEqual([deletion]);
    const head = await table.store.lastSeq('race-deletes');
    expect(await resolvedSeqs('race-deletes')).toEqual(range(1, head));
  });
});

/** Holds a client's requests of one command that `holds` picks until `release` is called. */
const holdRequests = (
  client: DynamoDBDocumentClient,
  command: string,
  holds: (input: Record<string, unknown>) => boolean,
) => {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && holds(args.input as Record<string, unknown>)) {
        held++;
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name: `hold-${command}-${Math.random()}` },
  );
  return { release, held: () => held };
};

describe('edits racing a deletion and a purge', () => {
  it('leave no text of the deleted message in any item of the room, even edits that lost to later ones', async () => {
    const room = 'race-purge';
    await post(room, 'secret original');
    // Edits that claim their seqs first and land last: each loses its revision to a later edit
    // and then writes its event on its own, a write held until the deletion and the purge are done.
    const late = Array.from({ length: 4 }, () => anotherContainer(table));
    const transactions = late.map(({ client }) =>
      holdRequests(client, 'TransactWriteItemsCommand', () => true),
    );
    const lonePuts = late.map(({ client }) =>
      holdRequests(client, 'PutItemCommand', (input) => {
        const item = input.Item as Record<string, unknown> | undefined;
        return item?.kind === 'edit';
      }),
    );
    const settle = (work: Promise<unknown>) =>
      work.then(
        () => 'stored',
        (error: Error) => error.name,
      );
    const lateEdits = late.map(({ store }, n) =>
      settle(edit(room, 1, `secret late ${n}`, 'alice', store)),
    );
    const heldCount = (holds: { held: () => number }[]) =>
      holds.reduce((sum, hold) => sum + hold.held(), 0);
    await vi.waitFor(() => expect(heldCount(transactions)).toBe(late.length));
    // Many edits from other containers land meanwhile.
    await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        edit(room, 1, `secret ${n}`, 'alice', anotherStore(table)),
      ),
    );
    for (const hold of transactions) hold.release();
    await vi.waitFor(() => expect(heldCount(lonePuts)).toBe(late.length));
    // More edits race the deletion and the purge.
    const racing = Array.from({ length: 12 }, (_, n) =>
      settle(edit(room, 1, `secret racing ${n}`, 'alice', anotherStore(table))),
    );
    await remove(room, 1);
    await table.store.purgeDeletedTexts(room);
    for (const hold of lonePuts) hold.release();
    const outcomes = [...(await Promise.all(lateEdits)), ...(await Promise.all(racing))];
    expect(outcomes.slice(0, late.length)).toEqual(late.map(() => 'stored'));
    expect(new Set(outcomes)).not.toContain('StoreError');
    const items = await roomItems(table, room);
    expect(items.length).toBeGreaterThan(20);
    for (const item of items) expect(JSON.stringify(item)).not.toMatch(/secret/);
    const head = await table.store.lastSeq(room);
    expect(await resolvedSeqs(room)).toEqual(range(1, head));
  });
});

describe('faults while updating', () => {
  const throttled = () =>
    serviceError('ProvisionedThroughputExceededException', 400, {
      $retryable: { throttling: true },
    });
  const conflict = () =>
    serviceError('TransactionCanceledException', 400, {
      CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }],
    });

  it('rides out transaction conflicts: the edit is stored once', async () => {
    await post('conflicted', 'x');
    const other = anotherContainer(table);
    const fault = injectFault(other.client, 'TransactWriteItemsCommand', 3, conflict);
    const result = await edit('conflicted', 1, 'y', 'alice', other.store);
    expect(fault.injected()).toBe(3);
    expect(result.update).toMatchObject({ seq: 2, text: 'y' });
    expect((await table.store.readAfter('conflicted', 0, 10)).updates).toHaveLength(1);
  });

  it('gives the claimed seq up when throttling persists, and leaves the message as it was', async () => {
    await post('throttled', 'x');
    const other = anotherContainer(table);
    injectFault(other.client, 'TransactWriteItemsCommand', 100, throttled);
    await expect(edit('throttled', 1, 'y', 'alice', other.store)).rejects.toBeInstanceOf(
      StoreThrottledError,
    );
    const page = await table.store.readAfter('throttled', 0, 10);
    expect(page).toEqual({
      messages: [expect.objectContaining({ text: 'x' })],
      skipped: [2],
      hasMore: false,
    });
  });

  it('folds an update event that a hole’s resolution finds landed late', async () => {
    await post('late', 'x');
    const slow = anotherContainer(table);
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    slow.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand') await held;
        return next(args);
      },
      { step: 'initialize', name: 'hold-transactions' },
    );
    const pending = remove('late', 1, 'alice', slow.store);
    await expect.poll(() => table.store.lastSeq('late')).toBe(2);
    const above = await post('late', 'above', 'bob');
    // The reader's Query sees a hole at 2; the deletion lands before it tries the tombstone.
    const reader = anotherContainer(table, () => Date.parse(above.message.sentAt) + HOLE_GRACE_MS);
    reader.client.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'QueryCommand') {
          release();
          await pending;
        }
        return output;
      },
      { step: 'initialize', name: 'land-after-query' },
    );
    const page = await reader.store.readAfter('late', 0, 10);
    expect(page.updates).toEqual([
      { seq: 2, target: 1, deleted: true, deletedAt: expect.any(String) },
    ]);
    expect(page.messages.map((m) => [m.seq, m.text, m.deleted])).toEqual([
      [1, '', true],
      [3, 'above', undefined],
    ]);
  });
});

describe('a read whose Query spans pages while the log changes', () => {
  it('renders no event from a revision read before the event was written, nor a later deletion’s text', async () => {
    const room = 'paged-while-edited';
    // Four messages, each edited once: 12 items, as every revision item takes a slot of the
    // Query's pages without counting. A read of 10 entries (pages of 12 items) needs a second
    // page, and the events written meanwhile (seqs 9 and 10) fall in it.
    for (const n of [1, 2, 3, 4]) await post(room, `m${n}`);
    for (const n of [1, 2, 3, 4]) await edit(room, n, `m${n} edited once`);
    const reader = anotherContainer(table);
    const writer = anotherStore(table);
    let between: Promise<unknown> | undefined;
    // Between the first page and the second: message 4 is edited again, message 2 deleted.
    reader.client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: { ExclusiveStartKey?: unknown } }).input;
        if (context.commandName === 'QueryCommand' && input.ExclusiveStartKey && !between) {
          between = (async () => {
            await edit(room, 4, 'm4 edited twice', 'alice', writer);
            await remove(room, 2, 'alice', writer);
          })();
          await between;
        }
        return next(args);
      },
      { step: 'initialize' },
    );
    const page = await reader.store.readAfter(room, 0, 10);
    expect(between).toBeDefined();
    // The first page read messages 4's and 2's revisions before seqs 9 and 10 were written: the
    // events read in the second page are rendered as they left the messages, not from those, and
    // so are the first page's.
    expect(page.updates?.filter((update) => update.seq >= 8)).toEqual([
      { seq: 8, target: 4, text: 'm4 edited twice', editedAt: expect.any(String) },
      { seq: 9, target: 4, text: 'm4 edited twice', editedAt: expect.any(String) },
      { seq: 10, target: 2, deleted: true, deletedAt: expect.any(String) },
    ]);
    expect(page.messages.find((message) => message.seq === 4)?.text).toBe('m4 edited twice');
    expect(page.messages.find((message) => message.seq === 2)).toMatchObject({ deleted: true });
    expect(JSON.stringify(page)).not.toContain('m2');
    reader.client.destroy();
  });
});
