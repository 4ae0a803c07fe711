import { describe, expect, it } from 'vitest';
import { errorFrame, historyFrames } from '../../src/protocol/frames.js';
import { moderationFrame, type WireModeration } from '../../src/protocol/moderation-frames.js';

// Every frame the chat sends stays under 32 KiB, as documented (docs/protocol.md, "History,
// replay and resume" and "Limits"): written here, not imported, so that a change in src fails.
const FRAME_BYTES = 32 * 1024;

const at = '2026-12-07T09:00:00.000Z';
const by = { userId: 'MODERATOR-000001', name: 'mod' };

const ban = (seq: number, reason = 'spam'): WireModeration => ({
  seq,
  action: 'ban',
  by,
  userId: 'TROLL-0000000001',
  name: 'troll',
  reason,
  until: '2026-12-07T10:00:00.000Z',
  at,
});

const message = (seq: number, text = `m${seq}`) => ({
  room: 'r',
  seq,
  sender: 's',
  text,
  sentAt: at,
});

describe('moderation frames', () => {
  it('spell a live event in the wire’s order, as the doc shows it', () => {
    expect(
      moderationFrame('general', { ...ban(57), extra: 'stays behind' } as WireModeration),
    ).toBe(
      '{"type":"moderation","room":"general","seq":57,"action":"ban","by":{"userId":"MODERATOR-000001","name":"mod"},"userId":"TROLL-0000000001","name":"troll","reason":"spam","until":"2026-12-07T10:00:00.000Z","at":"2026-12-07T09:00:00.000Z"}',
    );
    expect(
      JSON.parse(
        moderationFrame('general', {
          seq: 58,
          action: 'roomsettings',
          by,
          slowModeSeconds: 30,
          readOnly: false,
          at,
        }),
      ),
    ).toEqual({
      type: 'moderation',
      room: 'general',
      seq: 58,
      action: 'roomsettings',
      by,
      slowModeSeconds: 30,
      readOnly: false,
      at,
    });
  });

  it('tell a refused sender until when, beside the code', () => {
    expect(JSON.parse(errorFrame('banned', 'you are banned', { until: at }))).toEqual({
      type: 'error',
      code: 'banned',
      message: 'you are banned',
      until: at,
    });
  });
});

describe('history frames with moderation events', () => {
  it('leave moderation out when a page has none, as before', () => {
    const frames = historyFrames('r', { messages: [message(1)], skipped: [], hasMore: false });
    expect(frames).toEqual([
      `{"type":"history","room":"r","messages":[${JSON.stringify(message(1))}],"hasMore":false}`,
    ]);
  });

  it('carry them in seq order with the rest, split so that every frame stays under 32 KiB', () => {
    const big = 'x'.repeat(6_000);
    const messages = [1, 3, 6].map((seq) => message(seq, big));
    const moderation = [2, 4, 5, 8, 9].map((seq) => ban(seq, 'y'.repeat(6_000)));
    const frames = historyFrames('r', { messages, skipped: [7], moderation, hasMore: false });
    expect(frames.length).toBeGreaterThan(1);
    for (const frame of frames) {
      expect(Buffer.byteLength(frame)).toBeLessThan(FRAME_BYTES);
    }
    const parsed = frames.map((frame) => JSON.parse(frame));
    const runs = parsed.map((frame) =>
      [
        ...frame.messages.map((m: { seq: number }) => m.seq),
        ...(frame.skipped ?? []),
        ...(frame.moderation ?? []).map((m: { seq: number }) => m.seq),
      ].sort((a, b) => a - b),
    );
    // Each frame holds a contiguous run of the log, and the runs follow one another.
    expect(runs.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parsed.flatMap((frame) => frame.moderation ?? [])).toEqual(moderation);
  });
});
