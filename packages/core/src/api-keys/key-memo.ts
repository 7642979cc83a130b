/** How many accepted keys a scheme remembers the hash string of (a power of two: slots). */
export const KEY_MEMO_SIZE = 1024

/** The longest key: a 32-character prefix, `_` and 36 characters. */
const WIDTH = 69

/** Characters at the end of a key that its slot is computed from (60 random bits and the checksum). */
const INDEXED = 16

/**
 * A bounded memo of the hash strings of keys this scheme recently accepted, so that a client
 * sending the same key on every request is not checksummed and hashed every time (SHA-256 and
 * the CRC-32 are about two thirds of a stored-key check in memory, `bench/`). It holds the answers
 * of a pure function (key → hash string), never a record: the record is still read from the
 * store on every request, so revocation, expiry, limits and throttling are unchanged.
 *
 * - Only accepted keys are added, so guesses cannot evict anything, and a guess always takes the
 *   full path (checksum, hash, lookup) as before.
 * - Direct-mapped: a key has one slot, picked by a hash of its last characters seeded from
 *   `crypto.getRandomValues` per scheme; the whole key is then compared with the slot's in
 *   constant time, so no secret is compared in variable time (a `Map` keyed by the key itself
 *   would compare strings byte by byte, stopping at the first difference). A newer key takes
 *   over its slot.
 * - Bounded and allocation-free: {@link KEY_MEMO_SIZE} slots in fixed buffers, written in place.
 */
export class KeyMemo {
  /** Each slot's key, {@link WIDTH} bytes per slot (keys are ASCII: `checkKey` refused others). */
  readonly #codes = new Uint8Array(KEY_MEMO_SIZE * WIDTH)
  /** Each slot's key length; 0 for an empty slot. */
  readonly #lengths = new Uint8Array(KEY_MEMO_SIZE)
  readonly #hashes: (string | undefined)[] = new Array<string | undefined>(KEY_MEMO_SIZE).fill(undefined)
  /**
   * Drawn at the first `set`, inside a request: Workers refuse random values in global scope,
   * where schemes are usually created. Until then the memo is empty.
   */
  #seed = 0
  #seeded = false

  /** Number of slots holding a key. */
  get size(): number {
    let used = 0
    for (let i = 0; i < KEY_MEMO_SIZE; i++) if (this.#lengths[i] !== 0) used++
    return used
  }

  /** The hash string of `key` when it was accepted recently, else undefined. */
  get(key: string): string | undefined {
    const length = key.length
    if (!this.#seeded || length > WIDTH) return undefined
    const slot = this.#slot(key)
    if (this.#lengths[slot] !== length) return undefined
    // Constant time over the key: every character is compared, wherever the first difference is.
    const codes = this.#codes
    const at = slot * WIDTH
    let diff = 0
    for (let i = 0; i < length; i++) diff |= key.charCodeAt(i) ^ codes[at + i]!
    return diff === 0 ? this.#hashes[slot] : undefined
  }

  /** Remember that `key` hashes to `hash` (called when a key missing here is accepted). */
  set(key: string, hash: string): void {
    const length = key.length
    if (length === 0 || length > WIDTH) return
    if (!this.#seeded) {
      this.#seed = crypto.getRandomValues(new Uint32Array(1))[0]! | 0
      this.#seeded = true
    }
    const slot = this.#slot(key)
    const codes = this.#codes
    const at = slot * WIDTH
    for (let i = 0; i < length; i++) codes[at + i] = key.charCodeAt(i)
    this.#lengths[slot] = length
    this.#hashes[slot] = hash
  }

  /** The slot of `key`: FNV-1a steps over pairs of its last {@link INDEXED} characters from the seed, then murmur3's finaliser. */
  #slot(key: string): number {
    let h = this.#seed
    const end = key.length
    let i = Math.max(0, end - INDEXED)
    for (; i + 1 < end; i += 2) h = Math.imul(h ^ (key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16)), 0x01000193)
    if (i < end) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
    return (h ^ (h >>> 16)) & (KEY_MEMO_SIZE - 1)
  }
}
