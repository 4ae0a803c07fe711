import { beforeEach, describe, expect, it } from 'vitest';
import { connectEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { useReviewFunction } from '../support/review-function.js';

const { table, aws, invoke, logs } = useHandler();
const review = useReviewFunction(aws, {
  REVIEW_TIMEOUT_MS: '2000',
  REVIEW_FALLBACK: 'deny',
  AWS_LAMBDA_LOG_LEVEL: 'warn',
});

beforeEach(() => {
  logs.length = 0;
});

const join = async (room: string, ...names: string[]) => {
  for (const name of names) await invoke(connectEvent(`${room}-${name}`, { room, name }));
  aws.reset();
};

const unreviewed = (id: string) => ({
  type: 'error',
  code: 'rejected',
  message: 'your message was not sent: it could not be reviewed right now',
  action: 'sendmessage',
  id,
});

/** The room's log holds nothing: no message, not even a claimed seq. */
const expectNothingStored = async (room: string) => {
  expect(await table.store.lastSeq(room)).toBe(0);
  expect((await table.store.readAfter(room, 0, 10)).messages).toEqual([]);
};

describe('the message review hook (fallback deny)', () => {
  it('refuses a message whose review outlasts the timeout, and warns that the fallback decided', async () => {
    await review.use('slow');
    await join('slow', 'alice', 'bob');
    await invoke(sendFrame('slow-alice', { message: 'hello?', id: 's-1' }));
    expect(aws.delivered('slow-alice')).toEqual([unreviewed('s-1')]);
    expect(aws.delivered('slow-bob')).toEqual([]);
    await expectNothingStored('slow');
    expect(logs.filter((line) => line.event === 'review_fallback')).toEqual([
      expect.objectContaining({ level: 'warn', cause: 'timeout', fallback: 'deny' }),
    ]);
  });

  it('refuses a message whose review function fails', async () => {
    await review.use('fail');
    await join('failing', 'alice', 'bob');
    await invoke(sendFrame('failing-alice', { message: 'hello', id: 'f-1' }));
    expect(aws.delivered('failing-alice')).toEqual([unreviewed('f-1')]);
    expect(aws.delivered('failing-bob')).toEqual([]);
    await expectNothingStored('failing');
  });

  it('refuses a message answered in another shape', async () => {
    await review.use('wrongShape');
    await join('shape', 'alice');
    await invoke(sendFrame('shape-alice', { message: 'hello', id: 'w-1' }));
    expect(aws.delivered('shape-alice')).toEqual([unreviewed('w-1')]);
    await expectNothingStored('shape');
  });

  it('refuses a message modified into a text no message could have', async () => {
    await review.use('invalidModify');
    await join('invalid', 'alice');
    await invoke(sendFrame('invalid-alice', { message: 'hello', id: 'i-1' }));
    expect(aws.delivered('invalid-alice')).toEqual([unreviewed('i-1')]);
    await expectNothingStored('invalid');
  });

  it('refuses an edit whose review function fails, and leaves the message as it was', async () => {
    await review.use('allow');
    await join('edit', 'alice', 'bob');
    await invoke(sendFrame('edit-alice', { message: 'first' }));
    await review.use('fail');
    aws.reset();
    await invoke(sendFrame('edit-alice', { action: 'editmessage', seq: 1, message: 'second' }));
    expect(aws.delivered('edit-alice')).toEqual([
      {
        type: 'error',
        code: 'rejected',
        message: 'your edit was not saved: it could not be reviewed right now',
        action: 'editmessage',
      },
    ]);
    expect(aws.delivered('edit-bob')).toEqual([]);
    const [message] = (await table.store.readAfter('edit', 0, 10)).messages;
    expect(message?.text).toBe('first');
    expect(await table.store.lastSeq('edit')).toBe(1);
  });
});
