import { describe, expect, it } from 'vitest';
import { FairQueue } from '../../../local/emulator/fair-queue.js';

describe('FairQueue', () => {
  it("serves lanes in turn, so one lane's flood waits behind itself and not in front of others", () => {
    const queue = new FairQueue<string>();
    for (let n = 1; n <= 5; n++) queue.push(`flood-${n}`, 'flooder');
    queue.push('hello', 'alice');
    queue.push('async-1');
    queue.push('hi', 'bob');
    const order = Array.from({ length: queue.size }, () => queue.shift());
    expect(order).toEqual([
      'flood-1',
      'hello',
      'async-1',
      'hi',
      'flood-2',
      'flood-3',
      'flood-4',
      'flood-5',
    ]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it("keeps each lane's own order", () => {
    const queue = new FairQueue<number>();
    for (let n = 0; n < 6; n++) queue.push(n, n % 2 === 0 ? 'even' : 'odd');
    expect(Array.from({ length: 6 }, () => queue.shift())).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives every item without a lane a lane of its own, served in arrival order', () => {
    const queue = new FairQueue<string>();
    queue.push('a');
    queue.push('b');
    queue.push('c', 'x');
    queue.push('d', 'x');
    expect(Array.from({ length: 4 }, () => queue.shift())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('passes over a lane that may not run now, keeping its place for later', () => {
    const queue = new FairQueue<string>();
    queue.push('f1', 'flooder');
    queue.push('f2', 'flooder');
    queue.push('a1', 'alice');
    const notFlooder = (lane: string | undefined) => lane !== 'flooder';
    expect(queue.shift(notFlooder)).toBe('a1');
    expect(queue.shift(notFlooder)).toBeUndefined();
    expect(queue.size).toBe(2);
    expect(queue.shift()).toBe('f1');
  });
});
