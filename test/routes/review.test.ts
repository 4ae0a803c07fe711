import { beforeEach, describe, expect, it } from 'vitest';
import { REQUESTS } from '../local/fixtures/review.js';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { useReviewFunction } from '../support/review-function.js';

const { table, aws, invoke, logs } = useHandler();
// Long enough for any allowed answer on a loaded machine; `slow` answers after 10 s.
const review = useReviewFunction(aws, { REVIEW_TIMEOUT_MS: '2000', AWS_LAMBDA_LOG_LEVEL: 'warn' });

const requests = () => {
  const shared = globalThis as { [REQUESTS]?: unknown[] };
  shared[REQUESTS] ??= [];
  return shared[REQUESTS];
};

beforeEach(() => {
  requests().length = 0;
  logs.length = 0;
});

const join = async (room: string, ...names: string[]) => {
  for (const name of names) await invoke(connectEvent(`${room}-${name}`, { room, name }));
  aws.reset();
};

const fallbacks = () => logs.filter((line) => line.event === 'review_fallback');

describe('the message review hook (fallback allow)', () => {
  it('asks the review function about the action, room, sender and text, and stores what it allows', async () => {
    await review.use('policy');
    await join('allowed', 'alice', 'bob');
    await invoke(sendFrame('allowed-alice', { message: 'hello', id: 'c-1' }));
    const alice = await table.store.getConnection('allowed-alice');
    expect(alice?.userId).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(requests()).toEqual([
      {
        action: 'sendmessage',
        room: 'allowed',
        userId: alice?.userId,
        name: 'alice',
        text: 'hello',
      },
    ]);
    expect(aws.delivered('allowed-alice')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, id: 'c-1', text: 'hello' }),
    ]);
    expect(aws.delivered('allowed-bob')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, text: 'hello' }),
    ]);
    expect(fallbacks()).toEqual([]);
  });

  it('refuses a denied message: its sender gets rejected with the reason and its id, nothing is stored, nobody else hears of it', async () => {
    await review.use('policy');
    await join('denied', 'alice', 'bob');
    await invoke(sendFrame('denied-alice', { message: 'cheap spam', id: 'c-2' }));
    expect(aws.delivered('denied-alice')).toEqual([
      {
        type: 'error',
        code: 'rejected',
        message: 'your message was not sent: no spam in this room',
        action: 'sendmessage',
        id: 'c-2',
      },
    ]);
    expect(aws.delivered('denied-bob')).toEqual([]);
    // Not even a seq was claimed: the log is as it was, and history shows nothing.
    expect(await table.store.lastSeq('denied')).toBe(0);
    await invoke(sendFrame('denied-bob', { action: 'history' }));
    expect(aws.delivered('denied-bob')).toEqual([
      expect.objectContaining({ type: 'history', messages: [], hasMore: false }),
    ]);
  });

  it('gives a denial without an id no id', async () => {
    await review.use('policy');
    await join('no-id', 'alice');
    await invoke(sendFrame('no-id-alice', { message: 'spam' }));
    expect(aws.delivered('no-id-alice')).toEqual([
      expect.objectContaining({ code: 'rejected', action: 'sendmessage' }),
    ]);
    expect(aws.delivered('no-id-alice')[0]).not.toHaveProperty('id');
  });

  it('stores and broadcasts the text the review function modified', async () => {
    await review.use('policy');
    await join('modified', 'alice', 'bob');
    await invoke(sendFrame('modified-alice', { message: 'oh darn', id: 'c-3' }));
    expect(aws.delivered('modified-alice')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, id: 'c-3', text: 'oh d**n' }),
    ]);
    expect(aws.delivered('modified-bob')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, text: 'oh d**n' }),
    ]);
    const [stored] = (await table.store.readAfter('modified', 0, 10)).messages;
    expect(stored?.text).toBe('oh d**n');
  });

  it('answers a retried id from the log without reviewing it again', async () => {
    await review.use('policy');
    await join('retried', 'alice', 'bob');
    await invoke(sendFrame('retried-alice', { message: 'darn again', id: 'r-1' }));
    const original = aws.delivered('retried-alice')[0];
    expect(original).toMatchObject({ seq: 1, text: 'd**n again' });
    requests().length = 0;
    aws.reset();
    await invoke(sendFrame('retried-alice', { message: 'darn again', id: 'r-1' }));
    expect(requests()).toEqual([]);
    expect(aws.delivered('retried-alice')).toEqual([original]);
    expect(aws.delivered('retried-bob')).toEqual([]);
    expect((await table.store.readAfter('retried', 0, 10)).messages).toHaveLength(1);
  });

  it('reviews edits too: a denied edit changes nothing, a modified one is stored as modified', async () => {
    await review.use('policy');
    await join('edits', 'alice', 'bob');
    await invoke(sendFrame('edits-alice', { message: 'first' }));
    aws.reset();
    await invoke(sendFrame('edits-alice', { action: 'editmessage', seq: 1, message: 'spam now' }));
    expect(aws.delivered('edits-alice')).toEqual([
      {
        type: 'error',
        code: 'rejected',
        message: 'your edit was not saved: no spam in this room',
        action: 'editmessage',
      },
    ]);
    expect(aws.delivered('edits-bob')).toEqual([]);
    expect(await table.store.lastSeq('edits')).toBe(1);
    aws.reset();
    await invoke(sendFrame('edits-alice', { action: 'editmessage', seq: 1, message: 'darn it' }));
    expect(aws.delivered('edits-bob')).toEqual([
      expect.objectContaining({ type: 'edit', target: 1, text: 'd**n it' }),
    ]);
    const [message] = (await table.store.readAfter('edits', 0, 10)).messages;
    expect(message?.text).toBe('d**n it');
    expect(requests()).toEqual([
      expect.objectContaining({ action: 'sendmessage', text: 'first' }),
      expect.objectContaining({ action: 'editmessage', text: 'spam now' }),
      expect.objectContaining({ action: 'editmessage', text: 'darn it' }),
    ]);
  });

  it('stores a message whose review outlasts the timeout, and warns that the fallback decided', async () => {
    await review.use('slow');
    await join('slow', 'alice', 'bob');
    await invoke(sendFrame('slow-alice', { message: 'hello?' }));
    expect(aws.delivered('slow-bob')).toEqual([expect.objectContaining({ text: 'hello?' })]);
    expect(fallbacks()).toEqual([
      expect.objectContaining({ level: 'warn', cause: 'timeout', fallback: 'allow' }),
    ]);
  });

  it('stores a message whose review function fails, and warns with the error type', async () => {
    await review.use('fail');
    await join('failing', 'alice', 'bob');
    await invoke(sendFrame('failing-alice', { message: 'hello' }));
    expect(aws.delivered('failing-bob')).toEqual([expect.objectContaining({ text: 'hello' })]);
    expect(fallbacks()).toEqual([
      expect.objectContaining({ cause: 'function_error', error: 'TypeError', fallback: 'allow' }),
    ]);
  });

  it('takes the fallback for an answer of another shape', async () => {
    await review.use('wrongShape');
    await join('shape', 'alice', 'bob');
    await invoke(sendFrame('shape-alice', { message: 'hello' }));
    expect(aws.delivered('shape-bob')).toEqual([expect.objectContaining({ text: 'hello' })]);
    expect(fallbacks()).toEqual([expect.objectContaining({ cause: 'bad_answer' })]);
  });

  it('takes the fallback for a modified text no message could have, and stores the text as sent', async () => {
    await review.use('invalidModify');
    await join('invalid', 'alice', 'bob');
    await invoke(sendFrame('invalid-alice', { message: 'hello' }));
    expect(aws.delivered('invalid-bob')).toEqual([expect.objectContaining({ text: 'hello' })]);
    expect(fallbacks()).toEqual([expect.objectContaining({ cause: 'invalid_text' })]);
  });
});
