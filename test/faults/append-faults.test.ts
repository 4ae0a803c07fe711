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
    CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }],
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

  it('tells the sender clearly when throttling persists, and stores nothing', async () => {
    const { client, handler } = await setUp('thr2');
    injectFault(client, 'TransactWriteItemsCommand', 100, throttled);
    await handler(sendFrame('thr2-s', { message: 'lost?', id: 't-2' }), lambdaContext());
    expect(aws.delivered('thr2-s')).toEqual([
      { type: 'error', code: 'internal', message: expect.stringContaining('send it again') },
    ]);
    expect(aws.delivered('thr2-l')).toEqual([]);
    expect(await table.store.lastSeq('thr2')).toBe(0);
  });

  it('retries transaction conflicts and stores the message once with the next seq', async () => {
    const { client, handler } = await setUp('tc');
    const fault = injectFault(client, 'TransactWriteItemsCommand', 3, conflict);
    await handler(sendFrame('tc-s', { message: 'after conflicts' }), lambdaContext());
    expect(fault.injected()).toBe(3);
    const log = await table.store.readAfter('tc', 0, 10);
    expect(log.messages.map((m) => [m.seq, m.text])).toEqual([[1, 'after conflicts']]);
    expect(aws.delivered('tc-l')).toHaveLength(1);
  });

  it('does not duplicate a message whose first attempt committed but whose answer was lost', async () => {
    const { client, handler } = await setUp('lost');
    const timeout = () =>
      Object.assign(new Error('socket hang up'), { name: 'TimeoutError', code: 'ECONNRESET' });
    const fault = injectFault(client, 'TransactWriteItemsCommand', 1, timeout, 'after');
    // No client id: only the SDK's ClientRequestToken, reused on its retry, keeps this single.
    await handler(sendFrame('lost-s', { message: 'exactly once' }), lambdaContext());
    expect(fault.injected()).toBe(1);
    const log = await table.store.readAfter('lost', 0, 10);
    expect(log.messages.map((m) => m.text)).toEqual(['exactly once']);
    expect(await table.store.lastSeq('lost')).toBe(1);
  });

  it('gives a sender that retries after a failure its original message, stored once', async () => {
    const { client, handler } = await setUp('retry');
    injectFault(client, 'QueryCommand', 100, throttled);
    await handler(sendFrame('retry-s', { message: 'durable first', id: 'r-1' }), lambdaContext());
    // The message was durable before the broadcast failed to read the members.
    expect((await table.store.readAfter('retry', 0, 10)).messages).toHaveLength(1);
    expect(aws.delivered('retry-s')).toEqual([
      expect.objectContaining({ type: 'error', code: 'internal' }),
    ]);
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
