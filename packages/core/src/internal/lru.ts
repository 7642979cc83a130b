/**
 * A bounded least-recently-used map on top of `Map` insertion order: `get` moves a hit to the
 * back, `set` evicts from the front once `max` entries are held. Never grows past `max`.
 */
export class Lru<K, V> {
  readonly max: number
  readonly #map = new Map<K, V>()

  constructor(max: number) {
    this.max = max
  }

  /** Number of entries held. */
  get size(): number {
    return this.#map.size
  }

  /** The value for `key`, marking it most recently used. */
  get(key: K): V | undefined {
    const map = this.#map
    const value = map.get(key)
    if (value !== undefined) {
      map.delete(key)
      map.set(key, value)
    }
    return value
  }

  /** Store `value`, evicting the least recently used entries beyond `max`. */
  set(key: K, value: V): void {
    const map = this.#map
    if (map.has(key)) map.delete(key)
    else if (map.size >= this.max) {
      const oldest = map.keys().next()
      if (oldest.done !== true) map.delete(oldest.value)
    }
    map.set(key, value)
  }

  /** Forget `key`. */
  delete(key: K): void {
    this.#map.delete(key)
  }

  /** Forget everything. */
  clear(): void {
    this.#map.clear()
  }
}
