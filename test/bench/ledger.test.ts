import { describe, expect, it } from 'vitest';
import { createLedger } from '../../bench/e2e/crowd/ledger.js';

describe('a reader’s ledger', () => {
  it('counts a seq delivered live twice on one socket as a duplicate, once', () => {
    const ledger = createLedger();
    expect(ledger.add(1, 'live', 10)).toBe(true);
    expect(ledger.add(1, 'live', 11)).toBe(false);
    expect([ledger.distinct, ledger.duplicates, ledger.overlap]).toEqual([1, 1, 0]);
  });

  it('counts a replay of a seq that came live as an overlap, not a duplicate', () => {
    const ledger = createLedger();
    ledger.add(1, 'live', 10);
    ledger.socket();
    ledger.add(1, 'replay', 20);
    ledger.add(2, 'replay', 20);
    expect([ledger.distinct, ledger.duplicates, ledger.overlap]).toEqual([2, 0, 1]);
  });

  it('counts a seq live on two sockets as an overlap', () => {
    const ledger = createLedger();
    ledger.add(1, 'live', 10);
    ledger.socket();
    ledger.add(1, 'live', 20);
    expect([ledger.duplicates, ledger.overlap]).toEqual([0, 1]);
  });

  it('counts a seq twice in one socket’s replay as a replay duplicate', () => {
    const ledger = createLedger();
    ledger.add(3, 'replay', 10);
    ledger.add(3, 'replay', 11);
    expect([ledger.replayDuplicates, ledger.duplicates, ledger.overlap]).toEqual([1, 0, 0]);
  });

  it('resumes after the last seq up to which it has everything, not the highest', () => {
    const ledger = createLedger();
    for (const seq of [1, 2, 4, 5]) ledger.add(seq, 'live', seq);
    expect([ledger.contiguous, ledger.highest]).toEqual([2, 5]);
    ledger.add(3, 'replay', 9);
    expect(ledger.contiguous).toBe(5);
  });

  it('says when it first had a given number of distinct seqs', () => {
    const ledger = createLedger();
    ledger.add(2, 'live', 5);
    ledger.add(2, 'live', 6);
    ledger.add(1, 'live', 8);
    expect([ledger.reachedAt(1), ledger.reachedAt(2), ledger.reachedAt(3)]).toEqual([5, 8, NaN]);
  });
});
