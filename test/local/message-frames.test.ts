import { describe, expect, it } from 'vitest';
import { framesOf, messagesOf } from '../../local/message-frames.js';

const sentAt = '2026-11-22T10:00:00.010Z';
const entry = (seq: number, text: string) => ({
  room: 'general',
  seq,
  sender: 'bob',
  userId: 'tbZTtxFGYkMcNNPk',
  text,
  sentAt,
});
const batch = (...messages: unknown[]) => ({ type: 'messages', room: 'general', messages });

describe('the message frames a frame stands for', () => {
  it('reads a batch as its entries, each a message frame, in the batch’s order', () => {
    expect(messagesOf(batch(entry(43, 'hi'), entry(45, 'hey')))).toEqual([
      { type: 'message', ...entry(43, 'hi') },
      { type: 'message', ...entry(45, 'hey') },
    ]);
  });

  it('reads a message frame as itself, with its id', () => {
    const ack = { type: 'message', ...entry(7, 'mine'), id: 'c-1' };
    expect(messagesOf(ack)).toEqual([ack]);
  });

  it('finds no message in any other frame, nor in a batch without a list', () => {
    const history = { type: 'history', room: 'general', messages: [entry(1, 'old')] };
    expect(messagesOf(history)).toEqual([]);
    expect(messagesOf({ type: 'edit', room: 'general', seq: 9, target: 1, text: 'x' })).toEqual([]);
    expect(messagesOf({ type: 'messages', room: 'general' })).toEqual([]);
    expect(messagesOf({ type: 'messages', messages: 'hi' })).toEqual([]);
  });

  it('drops entries that are not objects and keeps no other type an entry claims', () => {
    const claimed = { ...entry(5, 'sneaky'), type: 'history', messages: [] };
    expect(messagesOf(batch(null, 3, 'x', [entry(4, 'nested')], claimed))).toEqual([
      { type: 'message', ...entry(5, 'sneaky'), messages: [] },
    ]);
  });

  it('leaves every frame but a batch as it is, and a batch as its message frames', () => {
    const presence = { type: 'presence', room: 'general', count: 1, names: ['bob'] };
    expect(framesOf(presence)).toEqual([presence]);
    expect(framesOf({ type: 'message', ...entry(2, 'alone') })).toEqual([
      { type: 'message', ...entry(2, 'alone') },
    ]);
    expect(framesOf(batch(entry(3, 'a'), entry(4, 'b')))).toEqual([
      { type: 'message', ...entry(3, 'a') },
      { type: 'message', ...entry(4, 'b') },
    ]);
    expect(framesOf(batch())).toEqual([]);
  });
});
