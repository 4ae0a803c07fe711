/**
 * A container's memory of what it saw on the table, bounded: once it holds `capacity` entries,
 * the one set longest ago is forgotten for each new one (a Map keeps insertion order, and a set
 * moves its key to the end).
 */
export class BoundedMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity = 10_000) {}

  get(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): V {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return value;
  }

  delete(key: K) {
    this.entries.delete(key);
  }
}
