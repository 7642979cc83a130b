import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { nonEmptyString } from '../internal/option-schema.js'
import { hmacSha256Words, sha256Words, wordsToBytes, type WordsDigest } from './sha256.js'

/** Options of {@link hashApiKey}. */
export interface HashApiKeyOptions {
  /**
   * A server-side secret (≥ 32 bytes): the hash becomes HMAC-SHA-256 keyed with it, so a leaked
   * table of hashes cannot even be checked against guessed keys without the pepper.
   * @default none: plain SHA-256 (keys carry 178 random bits, so this is already safe to store)
   */
  pepper?: string | Uint8Array
}

export const HASH_OPTIONS = optionNames<HashApiKeyOptions>()('pepper')


const encoder = new TextEncoder()
/** The base64url alphabet of hash strings. */
export const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Two base64url characters for every 12-bit value: 11 string joins per digest, not 43. */
const PAIRS: string[] = []
for (let i = 0; i < 4096; i++) PAIRS.push(B64URL[i >>> 6]! + B64URL[i & 63]!)
const BYTES = new Uint8Array(32)

/** Unpadded base64url of a 32-byte digest given as eight words (43 characters). */
export function base64url(words: Int32Array): string {
  const bytes = wordsToBytes(words, BYTES)
  let out = ''
  for (let i = 0; i < 30; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += PAIRS[n >>> 12]! + PAIRS[n & 4095]!
  }
  const n = (bytes[30]! << 16) | (bytes[31]! << 8)
  return out + PAIRS[n >>> 12]! + B64URL[(n >>> 6) & 63]!
}

/**
 * The public identifier of a key, for logs, dashboards and per-key counters: `<prefix>_` and
 * the first 16 base64url characters (96 bits) of its hash. Never the secret.
 */
export function publicId(key: string, hash: string): string {
  const separator = key.lastIndexOf('_')
  const start = hash.lastIndexOf('$') + 1
  return `${separator > 0 ? key.slice(0, separator) : 'key'}_${hash.slice(start, start + 16)}`
}

/** A key's digest: the eight words of its SHA-256 or HMAC-SHA-256, and the hash string's tag. */
export interface KeyDigest {
  /** `v1$sha256$` or `v1$hmac-sha256$`: what the hash string starts with. */
  readonly tag: string
  /** The digest of `key` as eight words in a shared buffer: read them before the next call. */
  words(key: string): Int32Array
  /** The hash string of a digest: the tag and the unpadded base64url of its 32 bytes. */
  text(words: Int32Array): string
}

/**
 * The digest of keys for one scheme or store, built once: the pepper's HMAC pads are prepared
 * here, not per request. Synchronous (see sha256.ts for why).
 */
export function keyDigest(options: HashApiKeyOptions = {}): KeyDigest {
  if (options === null || typeof options !== 'object') throw configError('hashApiKey: options must be an object')
  const { pepper } = options
  let fn: WordsDigest = sha256Words
  let tag = 'v1$sha256$'
  if (pepper !== undefined) {
    const bytes = typeof pepper === 'string' ? encoder.encode(pepper) : pepper
    if (!(bytes instanceof Uint8Array) || bytes.length < 32) throw configError('hashApiKey: pepper must be at least 32 bytes')
    fn = hmacSha256Words(bytes)
    tag = 'v1$hmac-sha256$'
  }
  return { tag, words: (key) => fn.ascii(key) ?? fn(encoder.encode(key)), text: (words) => tag + base64url(words) }
}

/**
 * A function from a key to its hash string (`v1$sha256$<base64url>` or
 * `v1$hmac-sha256$<base64url>`), built once per scheme or store.
 */
export function keyHasher(options: HashApiKeyOptions = {}): (key: string) => string {
  const digest = keyDigest(options)
  return (key) => digest.text(digest.words(key))
}

/**
 * The string to store for `key`: versioned (`v1$…`) so the format can change later without
 * stranding stored keys. SHA-256, or HMAC-SHA-256 with `options.pepper`.
 *
 * @example await store.set(hashApiKey(key), { id, principal: { team: 'ci' } })
 */
export function hashApiKey(key: string, options?: HashApiKeyOptions): string {
  if (options !== null && typeof options === 'object') checkOptions('hashApiKey', options, HASH_OPTIONS)
  nonEmptyString('hashApiKey: key', key)
  return keyHasher(options)(key)
}
