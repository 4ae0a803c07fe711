import { describe, expect, it } from 'vitest';
import { batchFrame, batchRuns, historyFrames, messageFrame } from '../../src/protocol/frames.js';
import { MAX_FRAME_BYTES } from '../../src/protocol/limits.js';

// Every frame the chat sends stays under 32 KiB, as documented (docs/protocol.md, "History,
// replay and resume" and "Limits"): written here, not imported, so that a change in src fails.
const FRAME_BYTES = 32 * 1024;

const message = (seq: number, text = `m${seq}`) => ({
  room: 'r',
  seq,
  sender: 's',
  text,
  sentAt: '2026-11-26T00:00:00.000Z',
});

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, n) => from + n);

const parse = (frames: string[]) => frames.map((frame) => JSON.parse(frame));

describe('history frames', () => {
  it('leaves skipped out when nothing was skipped, and before out when nothing was asked', () => {
    expect(
      parse(historyFrames('r', { messages: [message(1)], skipped: [], hasMore: false })),
    ).toEqual([{ type: 'history', room: 'r', messages: [message(1)], hasMore: false }]);
  });

  it('puts every skipped seq in the frame whose seq range covers it, and keeps every frame under 32 KiB', () => {
    const big = 'x'.repeat(6_000);
    const messages = [1, 2, 4, 5, 6, 8, 9, 10].map((seq) => message(seq, big));
    const frames = historyFrames(
      'r',
      { messages, skipped: [3, 7, 11], hasMore: true },
      { before: 12 },
    );
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThan(32 * 1024);
    const parsed = parse(frames);
    const seqsInOrder = parsed.flatMap((frame) =>
      [...frame.messages.map((m: { seq: number }) => m.seq), ...(frame.skipped ?? [])].sort(
        (a: number, b: number) => a - b,
      ),
    );
    expect(seqsInOrder).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    for (const frame of parsed) expect(frame).toMatchObject({ before: 12, hasMore: true });
  });

  it('names the log in every frame, after the room, and counts it in keeping each frame within the cap', () => {
    const log = '2026-11-26T00:00:00.000Z';
    const update = { seq: 2, target: 1, text: 'edited', editedAt: '2026-11-26T00:00:01.000Z' };
    // Texts of every length around where five fill a frame, so some first frame (with a skipped
    // seq and an update beside its messages) is as full as the cap lets it be.
    for (let size = 6_300; size < 6_420; size++) {
      const messages = [1, ...range(4, 15)].map((seq) => message(seq, 'x'.repeat(size)));
      const page = { messages, skipped: [3], updates: [update], hasMore: false, log };
      const frames = historyFrames('r', page);
      expect(frames.length).toBeGreaterThan(1);
      for (const frame of frames) {
        expect(Buffer.byteLength(frame)).toBeLessThanOrEqual(MAX_FRAME_BYTES);
        expect(frame.startsWith(`{"type":"history","room":"r","log":"${log}",`)).toBe(true);
      }
    }
  });

  it('keeps a long run of skipped seqs under 32 KiB too', () => {
    const skipped = Array.from({ length: 5_000 }, (_, n) => 100_000_000 + n);
    const frames = historyFrames('r', { messages: [], skipped, hasMore: false });
    for (const frame of frames) expect(Buffer.byteLength(frame)).toBeLessThan(32 * 1024);
    expect(parse(frames).flatMap((frame) => frame.skipped)).toEqual(skipped);
  });
});

describe('the wire’s message fields', () => {
  const stored = { ...message(1), author: 'name:s', expiresAt: 123, pk: 'ROOM#r' };

  it('are all a message frame carries, whatever else the message it is given holds', () => {
    expect(JSON.parse(messageFrame(stored))).toEqual({ type: 'message', ...message(1) });
  });

  it('are all a history frame carries for each message', () => {
    const [frame] = parse(historyFrames('r', { messages: [stored], skipped: [], hasMore: false }));
    expect(frame.messages).toEqual([message(1)]);
  });

  it('include the client’s id when the message has one', () => {
    expect(JSON.parse(messageFrame({ ...message(2), id: 'c-1' }))).toMatchObject({ id: 'c-1' });
  });
});

describe('an empty page', () => {
  it('still makes one frame, so a client knows its replay is done', () => {
    expect(parse(historyFrames('r', { messages: [], skipped: [], hasMore: false }))).toEqual([
      { type: 'history', room: 'r', messages: [], hasMore: false },
    ]);
  });
});

describe('a busy room’s batch frames', () => {
  it('sends one message as a message frame and more as one messages frame, in order, without client ids', () => {
    expect(JSON.parse(batchFrame('r', [{ ...message(3), id: 'secret' }]))).toEqual({
      type: 'message',
      ...message(3),
    });
    expect(JSON.parse(batchFrame('r', [message(4), { ...message(6), id: 'secret' }]))).toEqual({
      type: 'messages',
      room: 'r',
      messages: [message(4), message(6)],
    });
  });

  it('splits a batch into runs whose frames stay under 32 KiB, every message once and in order', () => {
    const big = Array.from({ length: 9 }, (_, n) => message(n + 1, '€'.repeat(4_000)));
    const runs = batchRuns('r', big);
    expect(runs.length).toBeGreaterThan(1);
    expect(runs.flat()).toEqual(big);
    for (const run of runs) {
      expect(Buffer.byteLength(batchFrame('r', run))).toBeLessThan(FRAME_BYTES);
    }
    expect(batchRuns('r', [message(1), message(2)])).toEqual([[message(1), message(2)]]);
  });
});
