import { B64URL, base64url } from './hash.js'

/**
 * The in-memory store's index of its hash strings by digest words, so that a request's key is
 * found from its SHA-256 words without building and hashing the 50-odd-character hash string
 * first (the string is what `get(hash)` and every other store take; this is the memory store's
 * shortcut to the same answer). A miss here is a definite miss: every hash the verifier can
 * produce is canonical, and only canonical hash strings are indexed.
 */
export const BY_DIGEST: unique symbol = Symbol('authspec.byDigest')

/** What a store with the shortcut offers: the stored hash string equal to `tag + base64url(words)`, if any. */
export interface DigestLookup {
  [BY_DIGEST](tag: string, words: Int32Array): string | undefined
}

interface Entry {
  readonly tag: string
  /** Where the eight words are in the index's slab (an offset in words). */
  readonly at: number
  /** The stored hash string (flat, its string hash cached by the engine after the first lookup). */
  readonly hash: string
  next: Entry | undefined
}

const SEXTET = new Int8Array(128).fill(-1)
for (let i = 0; i < 64; i++) SEXTET[B64URL.charCodeAt(i)] = i

const BYTES = new Uint8Array(33)
const WORDS = new Int32Array(8)

/**
 * The 32 bytes of a 43-character base64url body starting at `start`, as eight words in a
 * shared buffer (read them before the next call), or undefined.
 */
function decodeWords(text: string, start: number): Int32Array | undefined {
  if (text.length - start !== 43) return undefined
  const bytes = BYTES
  let bits = 0
  let value = 0
  let at = 0
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const sextet = c < 128 ? SEXTET[c]! : -1
    if (sextet < 0) return undefined
    value = ((value << 6) | sextet) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes[at++] = value >>> bits
    }
  }
  const words = WORDS
  for (let i = 0; i < 8; i++) words[i] = (bytes[i * 4]! << 24) | (bytes[i * 4 + 1]! << 16) | (bytes[i * 4 + 2]! << 8) | bytes[i * 4 + 3]!
  return words
}

/** Where a hash string's base64url body starts (after its last `$`) and its words, or undefined. */
function parse(hash: string): { start: number; words: Int32Array } | undefined {
  const start = hash.lastIndexOf('$') + 1
  const words = start > 0 ? decodeWords(hash, start) : undefined
  return words === undefined ? undefined : { start, words }
}

/** A signed 30-bit bucket number (a small integer for the engine's Map). */
const bucketOf = (words: Int32Array): number => words[0]! >> 2

/**
 * Hash strings by digest; `add`/`remove` mirror the store's `set`/`delete`. The words live in
 * one growing slab (32 bytes per key, no typed array per entry), slots reused after removal.
 */
export class DigestIndex {
  readonly #buckets = new Map<number, Entry>()
  #slab = new Int32Array(8 * 64)
  #used = 0
  readonly #free: number[] = []

  add(hash: string): void {
    const parsed = parse(hash)
    if (parsed === undefined) return
    const { start, words } = parsed
    const tag = hash.slice(0, start)
    // Index canonical strings only (no stray bits in the last character), as the verifier makes.
    if (tag + base64url(words) !== hash || this.find(tag, words) !== undefined) return
    const at = this.#slot()
    this.#slab.set(words, at)
    const bucket = bucketOf(words)
    this.#buckets.set(bucket, { tag, at, hash, next: this.#buckets.get(bucket) })
  }

  remove(hash: string): void {
    const parsed = parse(hash)
    if (parsed === undefined) return
    const bucket = bucketOf(parsed.words)
    let previous: Entry | undefined
    for (let entry = this.#buckets.get(bucket); entry !== undefined; previous = entry, entry = entry.next) {
      if (entry.hash !== hash) continue
      if (previous !== undefined) previous.next = entry.next
      else if (entry.next === undefined) this.#buckets.delete(bucket)
      else this.#buckets.set(bucket, entry.next)
      this.#free.push(entry.at)
      return
    }
  }

  find(tag: string, words: Int32Array): string | undefined {
    const slab = this.#slab
    for (let entry = this.#buckets.get(bucketOf(words)); entry !== undefined; entry = entry.next) {
      const at = entry.at
      let i = 0
      while (i < 8 && slab[at + i] === words[i]) i++
      if (i === 8 && entry.tag === tag) return entry.hash
    }
    return undefined
  }

  /** A free slot of eight words, growing the slab by doubling when full. */
  #slot(): number {
    const reused = this.#free.pop()
    if (reused !== undefined) return reused
    const at = this.#used
    this.#used += 8
    if (this.#used > this.#slab.length) {
      const grown = new Int32Array(this.#slab.length * 2)
      grown.set(this.#slab)
      this.#slab = grown
    }
    return at
  }
}

/** True when `store` offers the digest shortcut. */
export function hasDigestLookup(store: object): store is DigestLookup {
  return typeof (store as Partial<DigestLookup>)[BY_DIGEST] === 'function'
}
