import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { headKey, messageKey } from '../../src/store/dynamo/keys.js';
import { tombstoneItem } from '../../src/store/log/log-items.js';
import { connectEvent, messageEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

// One connection asks for more than the default history budget here (test/routes/amplification.test.ts tests that).
process.env.HISTORY_BURST = '1000';

const { table, aws, invoke } = useHandler();

/** A seq given up by a reader, written the way the store writes it. */
const tombstone = (room: string, seq: number) =>
  new PutCommand({
    TableName: table.tableName,
    Item: tombstoneItem(messageKey(room, seq), seq, Date.now()),
  });

const ask = async (frame: Record<string, unknown>) => {
  aws.reset();
  await invoke(messageEvent('h-asker', JSON.stringify({ action: 'history', ...frame })));
  const frames = aws.delivered('h-asker');
  return {
    frames,
    seqs: frames.flatMap((f) => (f.messages as { seq: number }[]).map((m) => m.seq)),
    hasMore: frames.at(-1)?.hasMore,
  };
};

describe('history', () => {
  beforeAll(async () => {
    for (let n = 1; n <= 120; n++) {
      const text = n <= 20 ? `${n}:${'y'.repeat(4000)}` : `m${n}`;
      await table.store.appendMessage({ room: 'past', author: 'name:bob', sender: 'bob', text });
    }
    await invoke(connectEvent('h-asker', { room: 'past', name: 'alice' }));
    await invoke(connectEvent('h-other', { room: 'past', name: 'bob' }));
  });

  it('answers the newest 50 by default, to the caller only, with hasMore', async () => {
    const { seqs, hasMore } = await ask({});
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 71));
    expect(hasMore).toBe(true);
    expect(aws.delivered('h-other')).toEqual([]);
  });

  it('pages back with before and limit until there is no more', async () => {
    const page = await ask({ before: 71, limit: 100 });
    expect(page.seqs).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(page.hasMore).toBe(false);
    expect(page.frames.length).toBeGreaterThan(1);
    for (const frame of page.frames)
      expect(Buffer.byteLength(JSON.stringify(frame))).toBeLessThan(32 * 1024);
  });

  it('names the room’s log in every frame: when it began, in ISO 8601', async () => {
    const created = await table.store.logCreated('past');
    const { frames } = await ask({ before: 71, limit: 100 });
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(frame.log).toBe(new Date(created as number).toISOString());
  });

  it('echoes the before it answers, so a client can tell its pages apart', async () => {
    const { frames } = await ask({ before: 71, limit: 100 });
    for (const frame of frames) expect(frame.before).toBe(71);
    expect((await ask({ limit: 1 })).frames[0]).not.toHaveProperty('before');
  });

  it('says which seqs hold no message and never will, in the frame covering them', async () => {
    await table.client.send(tombstone('gaps', 1));
    await table.store.appendMessage({ room: 'gaps', author: 'name:b', sender: 'b', text: 'two' });
    await table.client.send(tombstone('gaps', 3));
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: headKey('gaps'),
        UpdateExpression: 'SET lastSeq = :three',
        ExpressionAttributeValues: { ':three': 3 },
      }),
    );
    await invoke(connectEvent('h-gaps', { room: 'gaps', name: 'carol' }));
    aws.reset();
    await invoke(messageEvent('h-gaps', JSON.stringify({ action: 'history', before: 4 })));
    expect(aws.delivered('h-gaps')).toEqual([
      {
        type: 'history',
        room: 'gaps',
        log: expect.any(String),
        messages: [expect.objectContaining({ seq: 2, text: 'two' })],
        skipped: [1, 3],
        hasMore: false,
        before: 4,
      },
    ]);
  });

  it('answers an empty page before seq 1', async () => {
    const { seqs, hasMore } = await ask({ before: 1 });
    expect(seqs).toEqual([]);
    expect(hasMore).toBe(false);
  });
});
