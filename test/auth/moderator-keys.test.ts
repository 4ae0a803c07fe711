import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent, sendFrame } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { newKey, offeringKey } from '../support/keys.js';
import { roomItems } from '../support/table.js';

const MODERATOR = newKey();
// Open mode: no secret, one moderator key among blanks.
useFileEnv({ MODERATOR_KEYS: ` , ${MODERATOR.toString('base64url')} ,` });

const { table, aws, invoke, runInvocations } = useHandler();

/** Connects (offering `key`, when given), runs its replay and returns its session frame. */
const join = async (id: string, name: string, key?: Uint8Array) => {
  await invoke(connectEvent(id, { room: 'moderated', name }, key ? offeringKey(key) : {}));
  await runInvocations();
  return aws.delivered(id).find((f) => f.type === 'session');
};

const deleteAs = async (id: string, seq: number) => {
  aws.reset();
  await invoke(messageEvent(id, JSON.stringify({ action: 'deletemessage', seq })));
  return aws.delivered(id);
};

describe('MODERATOR_KEYS in open mode', () => {
  it('lets the listed key moderate, and no one else', async () => {
    expect(await join('mod', 'mod', MODERATOR)).toMatchObject({
      capabilities: ['read', 'send', 'moderate'],
    });
    expect(await join('alice', 'alice', newKey())).toMatchObject({
      capabilities: ['read', 'send'],
    });
    expect(await join('keyless', 'mod')).toMatchObject({ capabilities: ['read', 'send'] });
    expect(await join('other', 'other', newKey())).toMatchObject({
      capabilities: ['read', 'send'],
    });
    await invoke(sendFrame('alice', { message: 'first' }));
    await invoke(sendFrame('alice', { message: 'second' }));

    // Neither another key nor the moderator's name is a moderator.
    for (const id of ['keyless', 'other']) {
      expect(await deleteAs(id, 1)).toEqual([
        {
          type: 'error',
          code: 'forbidden',
          action: 'deletemessage',
          message: 'only its author can delete message 1',
        },
      ]);
    }
    // The moderator deletes alice's message; the room sees the deletion.
    const deleted = await deleteAs('mod', 1);
    expect(deleted).toEqual([expect.objectContaining({ type: 'delete', target: 1 })]);
    expect(aws.delivered('alice')).toEqual([
      expect.objectContaining({ type: 'delete', target: 1 }),
    ]);
    // The deletion is the moderator's: its event stores who did it.
    const event = (await roomItems(table, 'moderated')).find((item) => item.kind === 'delete');
    expect(event).toMatchObject({
      target: 1,
      sender: 'mod',
      author: (await table.store.getConnection('mod'))?.author,
    });
    // A moderator may still not edit someone else's message.
    aws.reset();
    await invoke(
      messageEvent('mod', JSON.stringify({ action: 'editmessage', seq: 2, message: 'mod says' })),
    );
    expect(aws.delivered('mod')).toEqual([
      expect.objectContaining({ code: 'forbidden', message: 'only its author can edit message 2' }),
    ]);
  });
});
