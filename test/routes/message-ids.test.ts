import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';

const { aws, invoke, runInvocations } = useHandler();

type Frame = Record<string, unknown>;

const join = async (room: string, ...names: string[]) => {
  for (const name of names) await invoke(connectEvent(`${room}-${name}`, { room, name }));
  await runInvocations();
  aws.reset();
};

const ask = (connectionId: string, frame: Frame) =>
  invoke(messageEvent(connectionId, JSON.stringify(frame)));

/** Every message a connection was sent, live or in `history` frames. */
const messagesTo = (connectionId: string) =>
  aws
    .delivered(connectionId)
    .flatMap((frame: Frame) =>
      frame.type === 'message'
        ? [frame]
        : frame.type === 'history'
          ? (frame.messages as Frame[])
          : [],
    );

describe('a message’s client id', () => {
  it('goes back to its sender alone: the room’s frames, history and replays carry none', async () => {
    await join('ids', 'alice', 'bob');
    await invoke(sendFrame('ids-alice', { message: 'hello', id: 'c-secret-id' }));
    expect(aws.delivered('ids-alice')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, id: 'c-secret-id', text: 'hello' }),
    ]);
    expect(aws.delivered('ids-bob')).toEqual([
      expect.objectContaining({ type: 'message', seq: 1, text: 'hello' }),
    ]);
    aws.reset();

    await ask('ids-bob', { action: 'history' });
    await ask('ids-alice', { action: 'history' });
    await invoke(connectEvent('ids-carol', { room: 'ids', name: 'carol' }));
    await invoke(connectEvent('ids-dave', { room: 'ids', name: 'dave', since: '0' }));
    await runInvocations();
    for (const reader of ['ids-bob', 'ids-alice', 'ids-carol', 'ids-dave']) {
      expect(messagesTo(reader)).toEqual([expect.objectContaining({ seq: 1, text: 'hello' })]);
    }
    expect(JSON.stringify(aws.posts)).not.toContain('c-secret-id');

    // Its sender's retry is answered with it, to the sender alone.
    await invoke(sendFrame('ids-alice', { message: 'hello', id: 'c-secret-id' }));
    expect(aws.posts.filter((post) => post.body.includes('c-secret-id'))).toEqual([
      expect.objectContaining({ connectionId: 'ids-alice' }),
    ]);
  });

  it('answers a resend of a deleted message’s id with the deletion, whatever the text, so it confirms no guess', async () => {
    const aliceKey = newKey();
    await invoke(
      connectEvent('guess-alice', { room: 'guess', name: 'alice' }, offeringKey(aliceKey)),
    );
    await join('guess', 'bob');
    await invoke(sendFrame('guess-alice', { message: 'the secret', id: 'g-1' }));
    await ask('guess-alice', { action: 'deletemessage', seq: 1 });
    // Whoever holds alice's key (her page, or whoever took it from there) may resend her ids.
    await invoke(
      connectEvent('guess-again', { room: 'guess', name: 'alice' }, offeringKey(aliceKey)),
    );
    await runInvocations();
    aws.reset();
    await invoke(sendFrame('guess-again', { message: 'a wrong guess', id: 'g-1' }));
    await invoke(sendFrame('guess-again', { message: 'the secret', id: 'g-1' }));
    const [wrong, right] = aws.delivered('guess-again');
    expect(wrong).toEqual(right);
    expect(right).toMatchObject({ type: 'message', seq: 1, text: '', deleted: true });
    expect(aws.delivered('guess-bob')).toEqual([]);
  });
});
