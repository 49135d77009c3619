/** Counters of a `ByteLruCache`, for logs and tests. */
export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly capacityBytes: number;
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/**
 * A least-recently-used cache bounded in bytes rather than entries, so that
 * a dataset of 150×150×3 float images and one of 28×28×1 images use the same
 * memory budget. A value larger than the whole budget is not cached.
 */
export class ByteLruCache<K, V> {
  // A Map iterates in insertion order: re-inserting on access keeps the LRU entry first.
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private totalBytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  /**
   * @param capacityBytes - budget; 0 disables caching.
   * @param sizeOf - bytes a value occupies.
   */
  constructor(
    readonly capacityBytes: number,
    private readonly sizeOf: (value: V) => number,
  ) {
    if (!(capacityBytes >= 0) || !Number.isFinite(capacityBytes)) {
      throw new RangeError(`ByteLruCache: capacityBytes must be a finite number >= 0, got ${capacityBytes}`);
    }
  }

  /** The cached value (marking it most recently used), or undefined. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Whether `key` is cached (does not count as a use). */
  has(key: K): boolean {
    return this.entries.has(key);
  }

  /** Caches `value`, evicting least recently used entries; false if it cannot fit at all. */
  set(key: K, value: V): boolean {
    const bytes = this.sizeOf(value);
    this.delete(key);
    if (bytes > this.capacityBytes) return false;
    while (this.totalBytes + bytes > this.capacityBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
      this.evictions++;
    }
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    return true;
  }

  /** Removes `key` if cached. */
  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Empties the cache (counters are kept). */
  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  /** Current counters. */
  stats(): CacheStats {
    return {
      entries: this.entries.size,
      bytes: this.totalBytes,
      capacityBytes: this.capacityBytes,
      hits: this.hits,
      misses: this.misses,
      evictions: this.evictions,
    };
  }
}
