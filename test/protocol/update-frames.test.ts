import { describe, expect, it } from 'vitest';
import { deleteFrame, editFrame, historyFrames, messageFrame } from '../../src/protocol/frames.js';

// Every frame the chat sends stays under 32 KiB, as documented (docs/protocol.md, "History,
// replay and resume" and "Limits"): written here, not imported, so that a change in src fails.
const FRAME_BYTES = 32 * 1024;

const message = (seq: number, text = `m${seq}`) => ({
  room: 'r',
  seq,
  sender: 's',
  text,
  sentAt: '2026-11-27T00:00:00.000Z',
});

const edit = (seq: number, target: number, text: string) => ({
  seq,
  target,
  text,
  editedAt: '2026-11-27T00:01:00.000Z',
});

const parse = (frames: string[]) => frames.map((frame) => JSON.parse(frame));

describe('edit and delete frames', () => {
  it('spell the live frames in the wire’s order', () => {
    expect(editFrame('r', edit(11, 5, 'fixed'))).toBe(
      '{"type":"edit","room":"r","seq":11,"target":5,"text":"fixed","editedAt":"2026-11-27T00:01:00.000Z"}',
    );
    expect(
      deleteFrame('r', {
        seq: 13,
        target: 5,
        deleted: true,
        deletedAt: '2026-11-27T00:02:00.000Z',
      }),
    ).toBe(
      '{"type":"delete","room":"r","seq":13,"target":5,"deleted":true,"deletedAt":"2026-11-27T00:02:00.000Z"}',
    );
  });

  it('put a message’s current state after sentAt, and nothing else a source holds', () => {
    const deleted = {
      ...message(5, ''),
      author: 'name:s',
      editedAt: '2026-11-27T00:01:00.000Z',
      deleted: true as const,
      deletedAt: '2026-11-27T00:02:00.000Z',
    };
    expect(Object.keys(JSON.parse(messageFrame(deleted)))).toEqual([
      'type',
      'room',
      'seq',
      'sender',
      'text',
      'sentAt',
      'editedAt',
      'deleted',
      'deletedAt',
    ]);
  });
});

describe('history frames with updates', () => {
  it('leaves updates out when there are none', () => {
    const [frame] = parse(
      historyFrames('r', { messages: [message(1)], skipped: [], hasMore: false }),
    );
    expect(frame).not.toHaveProperty('updates');
  });

  it('splits messages, skipped seqs and updates in seq order, every frame under 32 KiB', () => {
    const big = 'x'.repeat(6_000);
    const messages = [1, 2, 5, 8].map((seq) => message(seq, big));
    const updates = [3, 4, 7, 9, 10].map((seq) => edit(seq, 1, big));
    const frames = historyFrames('r', { messages, skipped: [6], updates, hasMore: false });
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThan(FRAME_BYTES);
    const parsed = parse(frames);
    const seqsOf = (frame: Record<string, { seq: number }[] | number[]>) => [
      ...((frame.messages as { seq: number }[]) ?? []).map((m) => m.seq),
      ...((frame.skipped as number[]) ?? []),
      ...((frame.updates as { seq: number }[]) ?? []).map((u) => u.seq),
    ];
    const runs = parsed.map((frame) => seqsOf(frame).sort((a, b) => a - b));
    // Each frame holds a contiguous run of the log, and the runs follow one another.
    expect(runs.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const frame of parsed) {
      const seqs = (frame.updates ?? []).map((u: { seq: number }) => u.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    expect(parsed.flatMap((frame) => frame.updates ?? [])).toEqual(updates);
  });
});
