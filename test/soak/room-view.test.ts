import { describe, expect, it } from 'vitest';
import { RoomView } from '../../local/soak/room-view.js';

const message = (seq: number, text: string, extra = {}) => ({
  room: 'r',
  seq,
  sender: 'alice',
  text,
  sentAt: '2026-11-27T10:00:00.000Z',
  ...extra,
});
const edit = (seq: number, target: number, text: string) => ({
  seq,
  target,
  text,
  editedAt: '2026-11-27T10:00:01.000Z',
});
const deletion = (seq: number, target: number) => ({
  seq,
  target,
  deleted: true as const,
  deletedAt: '2026-11-27T10:00:02.000Z',
});

describe("the soak client's view of a room", () => {
  it('shows the text of the update with the highest seq, whatever order updates arrive in', () => {
    const view = new RoomView();
    view.addMessage(message(1, 'helo'));
    view.applyUpdate(edit(3, 1, 'hello!'));
    view.applyUpdate(edit(2, 1, 'hello'));
    expect(view.message(1)).toEqual({ text: 'hello!' });
  });

  it('applies an update that arrives before its message', () => {
    const view = new RoomView();
    view.applyUpdate(edit(2, 1, 'hello'));
    view.addMessage(message(1, 'helo'));
    expect(view.message(1)).toEqual({ text: 'hello' });
  });

  it('keeps a deletion whatever comes after it', () => {
    const view = new RoomView();
    view.addMessage(message(1, 'helo'));
    view.applyUpdate(deletion(2, 1));
    view.applyUpdate(edit(3, 1, 'hello'));
    view.addMessage(message(1, 'helo'));
    expect(view.message(1)).toEqual({ text: '', deleted: true });
  });

  it('shows the text a deleted message was sent with, so a leak shows', () => {
    const view = new RoomView();
    view.addMessage(message(1, 'secret', { deleted: true, deletedAt: 'x' }));
    expect(view.message(1)).toEqual({ text: 'secret', deleted: true });
  });

  it('counts update seqs and skipped seqs as resolved', () => {
    const view = new RoomView();
    view.addMessage(message(1, 'a'));
    view.applyUpdate(edit(2, 1, 'b'));
    view.skipped.add(3);
    view.addMessage(message(5, 'c'));
    expect(view.contiguous()).toBe(3);
  });
});
