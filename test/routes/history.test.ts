import { beforeAll, describe, expect, it } from 'vitest';
import { connectEvent, messageEvent } from '../support/events.js';
import { useHandler } from '../support/handler-harness.js';

const { table, aws, invoke } = useHandler();

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
      await table.store.appendMessage({
        room: 'past',
        sender: 'bob',
        text,
        sentAt: new Date().toISOString(),
      });
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

  it('answers an empty page before seq 1', async () => {
    const { seqs, hasMore } = await ask({ before: 1 });
    expect(seqs).toEqual([]);
    expect(hasMore).toBe(false);
  });
});
