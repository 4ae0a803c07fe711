import { describe, expect, it } from 'vitest';
import { Ledger, sentText } from '../../local/soak/ledger.js';
import { storedOnce } from '../../local/soak/verify.js';
import type { ChatMessage } from '../../src/store/index.js';

/** A message as reads of the log give it: without its client id. */
const stored = (seq: number, text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  room: 'r',
  seq,
  sender: 'c0',
  text,
  sentAt: '2026-12-07T10:00:00.000Z',
  ...extra,
});
const page = (...messages: ChatMessage[]) => ({ messages, skipped: [], hasMore: false });

/** A ledger in which each of these ids was accepted at its seq. */
const accepted = (ids: Record<string, number>) => {
  const ledger = new Ledger();
  for (const [id, seq] of Object.entries(ids)) ledger.accepted.set(id, { room: 'r', seq });
  return ledger;
};

describe("the soak's check that every accepted send is stored once", () => {
  it('finds nothing wrong with a log whose reads carry no ids, edited and deleted messages included', () => {
    const log = page(
      stored(1, sentText('c0-0')),
      stored(2, `${sentText('c0-1')}, edited`, { editedAt: '2026-12-07T10:00:01.000Z' }),
      stored(4, '', { deleted: true, deletedAt: '2026-12-07T10:00:02.000Z' }),
    );
    expect(storedOnce('r', log, accepted({ 'c0-0': 1, 'c0-1': 2, 'c0-2': 4 }))).toEqual([]);
  });

  it('finds a send stored again beside the seq its author was acknowledged', () => {
    const log = page(stored(1, sentText('c0-0')), stored(2, sentText('c0-0')));
    expect(storedOnce('r', log, accepted({ 'c0-0': 2 }))).toEqual([
      'r: id c0-0 is stored twice (again at seq 1)',
    ]);
  });

  it('finds a second copy of a send whose acknowledged copy was deleted', () => {
    const log = page(stored(1, sentText('c0-0')), stored(2, '', { deleted: true }));
    expect(storedOnce('r', log, accepted({ 'c0-0': 2 }))).toHaveLength(1);
  });

  it('finds an accepted send whose acknowledged seq holds no message', () => {
    expect(
      storedOnce('r', page(stored(1, sentText('c0-0'))), accepted({ 'c0-0': 1, 'c0-1': 3 })),
    ).toEqual(['r: accepted id c0-1 is not stored (its seq 3 holds no message)']);
  });
});
