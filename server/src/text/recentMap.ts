/**
 * A map that keeps only its most recently used entries: reading or writing an entry makes it the newest, and writing
 * past the limit drops the oldest. The parse caches (per path) and the CLI's line indexes use it.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  /** The entry of `key`, made the newest; undefined when absent. */
  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** Sets the entry of `key` as the newest, dropping the oldest entry when there are more than the limit. */
  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) {
      this.entries.delete(this.entries.keys().next().value!);
    }
  }
}
