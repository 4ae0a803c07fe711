import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { connectEvent, messageEvent } from '../support/events.js';
import { useFileEnv } from '../support/file-env.js';
import { useHandler } from '../support/handler-harness.js';
import { registerMembers } from '../support/members.js';

// Read once per container: one typing broadcast per connection a minute (nothing refills while
// a test runs), and a room cap of 3 at once that refills every 100 s.
const settings = {
  TYPING_INTERVAL_MS: '60000',
  ROOM_TYPING_PER_SECOND: '0.01',
  ROOM_TYPING_BURST: '3',
};
useFileEnv(settings);

const { table, aws, invoke, runInvocations } = useHandler();

/** The public id each connection's `session` frame gave it. */
const userIds = new Map<string, unknown>();

const join = async (room: string, ids: string[]) => {
  for (const id of ids) await invoke(connectEvent(id, { room, name: id }));
  await runInvocations();
  for (const id of ids)
    userIds.set(id, aws.delivered(id).find((f) => f.type === 'session')?.userId);
  aws.reset();
};

const typing = (connectionId: string) => invoke(messageEvent(connectionId, '{"action":"typing"}'));

const typingFrames = (connectionId: string) =>
  aws.delivered(connectionId).filter((f) => f.type === 'typing');

/** Every item of the table, as `pk sk` and its attributes' names. */
const items = async () => {
  const { Items = [] } = await table.client.send(new ScanCommand({ TableName: table.tableName }));
  return Items.map((item) => `${item.pk} ${item.sk}`).sort();
};

describe('typing', () => {
  it('tells everyone in the room but the typist, with who it is and when to forget it', async () => {
    await join('quiet', ['ty-a', 'ty-b', 'ty-c']);
    await typing('ty-a');
    for (const id of ['ty-b', 'ty-c']) {
      expect(typingFrames(id)).toEqual([
        {
          type: 'typing',
          room: 'quiet',
          userId: userIds.get('ty-a'),
          name: 'ty-a',
          expiresInMs: 120_000,
        },
      ]);
    }
    expect(aws.delivered('ty-a')).toEqual([]);
  });

  it('coalesces a burst of 20 from one connection into one broadcast, answering none of them', async () => {
    await join('burst', ['tb-a', 'tb-b']);
    for (let n = 0; n < 20; n++) await typing('tb-a');
    expect(typingFrames('tb-b')).toHaveLength(1);
    expect(aws.delivered('tb-a')).toEqual([]);
  });

  it('caps the room over all its typists, dropping the rest silently', async () => {
    const typists = ['tc-1', 'tc-2', 'tc-3', 'tc-4', 'tc-5'];
    await join('capped', ['tc-reader', ...typists]);
    for (const id of typists) await typing(id);
    expect(typingFrames('tc-reader').map((f) => f.name)).toEqual(['tc-1', 'tc-2', 'tc-3']);
    for (const id of typists) expect(aws.delivered(id).some((f) => f.type === 'error')).toBe(false);
  });

  it('stores nothing: the table holds the same items before and after', async () => {
    await join('stateless', ['ts-a', 'ts-b']);
    const before = await items();
    await typing('ts-a');
    await typing('ts-b');
    expect(typingFrames('ts-a')).toHaveLength(1);
    expect(await items()).toEqual(before);
  });

  it('announces the leave of a member its broadcast found gone', async () => {
    // Connected a minute ago, and gone since without a `$disconnect`.
    await registerMembers(table.store, 'typing-prunes', ['tp-ghost'], 60_000);
    await join('typing-prunes', ['tp-a', 'tp-b']);
    aws.gone.add('tp-ghost');
    await typing('tp-a');
    expect(aws.delivered('tp-b').map((f) => f.type)).toEqual(['typing', 'leave']);
    expect(aws.delivered('tp-a')).toEqual([
      { type: 'leave', room: 'typing-prunes', name: 'tp-ghost', count: 2 },
    ]);
  });
});
