/**
 * Invocations waiting for a container, served round-robin by lane (a WebSocket connection's
 * events share a lane; every other invocation has one of its own), so that one connection's
 * flood waits behind itself and not in front of everyone else. On Lambda they would all run at
 * once; on a laptop they take turns, and fair turns keep what one sender sees close to that.
 */
export class FairQueue<T> {
  readonly #lanes = new Map<string, { lane: string | undefined; waiting: T[] }>();
  #size = 0;
  #anonymous = 0;

  get size() {
    return this.#size;
  }

  /** Queues `item` in `lane`, or in a lane of its own when `lane` is undefined. */
  push(item: T, lane?: string) {
    const key = lane === undefined ? `\0${this.#anonymous++}` : `=${lane}`;
    const entry = this.#lanes.get(key);
    if (entry) entry.waiting.push(item);
    // A Map iterates in insertion order: a new lane joins the end of the round.
    else this.#lanes.set(key, { lane, waiting: [item] });
    this.#size += 1;
  }

  /**
   * The next item: the oldest of the first lane in the round that `mayRun` (default: any); that
   * lane then goes to the end of the round. Undefined when no lane may run.
   */
  shift(mayRun: (lane: string | undefined) => boolean = () => true): T | undefined {
    for (const [key, entry] of this.#lanes) {
      if (!mayRun(entry.lane)) continue;
      const item = entry.waiting.shift();
      this.#lanes.delete(key);
      if (entry.waiting.length > 0) this.#lanes.set(key, entry);
      if (item === undefined) continue;
      this.#size -= 1;
      return item;
    }
    return undefined;
  }
}
