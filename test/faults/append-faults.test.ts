import { describe, expect, it } from 'vitest';
import { connectEvent, lambdaContext, sendFrame } from '../support/events.js';
import { faultyHandler, injectFault, serviceError } from '../support/faults.js';
import { useHandler } from '../support/handler-harness.js';

const { table, aws, invoke } = useHandler();

const setUp = async (room: string) => {
  await invoke(connectEvent(`${room}-s`, { room, name: 'sender' }));
  await invoke(connectEvent(`${room}-l`, { room, name: 'listener' }));
  aws.reset();
  return faultyHandler(table, aws);
};

const throttled = () =>
  serviceError('ProvisionedThroughputExceededException', 400, { $retryable: { throttling: true } });

const conflict = () =>
  serviceError('TransactionCanceledException', 400, {
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
  });

describe('faults during append', () => {
  it('rides out DynamoDB throttling: the message is stored once and broadcast once', async () => {
    const { client, handler } = await setUp('thr');
    const fault = injectFault(client, 'TransactWriteItemsCommand', 2, throttled);
    await handler(sendFrame('thr-s', { message: 'through', id: 't-1' }), lambdaContext());
    expect(fault.injected()).toBe(2);
    expect((await table.store.readAfter('thr', 0, 10)).messages.map((m) => m.text)).toEqual([
      'through',
    ]);
    expect(aws.delivered('thr-l')).toEqual([expect.objectContaining({ seq: 1, text: 'through' })]);
  });

  it('tells the sender clearly when throttling persists, stores nothing and leaves no hole', async () => {
    const { client, handler } = await setUp('thr2');
    injectFault(client, 'TransactWriteItemsCommand', 100, throttled);
    await handler(sendFrame('thr2-s', { message: 'lost?', id: 't-2' }), lambdaContext());
    expect(aws.delivered('thr2-s')).toEqual([
      { type: 'error', code: 'internal', message: expect.stringContaining('send it again') },
    ]);
    expect(aws.delivered('thr2-l')).toEqual([]);
    // The seq it claimed is given up at once: nobody waits for it.
    expect(await table.store.readAfter('thr2', 0, 10)).toEqual({
      messages: [],
      skipped: [1],
      hasMore: false,
    });
  });

  it('retries transaction conflicts and stores the message once at the seq it claimed', async () => {
    const { client, handler } = await setUp('tc');
    const fault = injectFault(client, 'TransactWriteItemsCommand', 3, conflict);
    await handler(sendFrame('tc-s', { message: 'after conflicts', id: 'tc-1' }), lambdaContext());
    expect(fault.injected()).toBe(3);
    const log = await table.store.readAfter('tc', 0, 10);
    expect(log.messages.map((m) => [m.seq, m.text])).toEqual([[1, 'after conflicts']]);
    expect(await table.store.lastSeq('tc')).toBe(1);
    expect(aws.delivered('tc-l')).toHaveLength(1);
  });

  for (const [kind, command, body] of [
    ['without an id', 'PutItemCommand', { message: 'exactly once' }],
    ['with an id', 'TransactWriteItemsCommand', { message: 'exactly once', id: 'l-1' }],
  ] as const) {
    for (const [lost, times] of [
      ['its first answer was', 1],
      ['every answer the SDK waited for was', 3],
    ] as const) {
      it(`stores and broadcasts a message ${kind} once when its write committed but ${lost} lost`, async () => {
        const room = `lost-${command}-${times}`;
        const { client, handler } = await setUp(room);
        const timeout = () =>
          Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
        injectFault(client, command, times, timeout, 'after');
        await handler(sendFrame(`${room}-s`, body), lambdaContext());
        const log = await table.store.readAfter(room, 0, 10);
        expect(log.messages.map((m) => m.text)).toEqual(['exactly once']);
        expect(log.skipped).toEqual([]);
        expect(await table.store.lastSeq(room)).toBe(1);
        expect(aws.delivered(`${room}-l`)).toEqual([expect.objectContaining({ seq: 1 })]);
        expect(aws.delivered(`${room}-s`)).toEqual([expect.objectContaining({ seq: 1 })]);
      });
    }
  }

  it('acknowledges a stored message even when the members cannot be read, and a retry gets it once', async () => {
    const { client, handler } = await setUp('retry');
    injectFault(client, 'QueryCommand', 100, throttled);
    await handler(sendFrame('retry-s', { message: 'durable first', id: 'r-1' }), lambdaContext());
    // The message was durable, and the sender had it, before the members failed to be read.
    expect((await table.store.readAfter('retry', 0, 10)).messages).toHaveLength(1);
    expect(aws.delivered('retry-s')).toEqual([expect.objectContaining({ seq: 1, id: 'r-1' })]);
    expect(aws.delivered('retry-l')).toEqual([]);
    aws.reset();
    await invoke(sendFrame('retry-s', { message: 'durable first', id: 'r-1' }));
    expect(aws.delivered('retry-s')).toEqual([expect.objectContaining({ seq: 1, id: 'r-1' })]);
    expect(await table.store.lastSeq('retry')).toBe(1);
  });

  it('rides out throttling while reading the members', async () => {
    const { client, handler } = await setUp('qthr');
    const fault = injectFault(client, 'QueryCommand', 2, throttled);
    await handler(sendFrame('qthr-s', { message: 'everyone' }), lambdaContext());
    expect(fault.injected()).toBe(2);
    expect(aws.delivered('qthr-l')).toEqual([expect.objectContaining({ text: 'everyone' })]);
    expect(aws.delivered('qthr-s')).toEqual([expect.objectContaining({ text: 'everyone' })]);
  });
});
