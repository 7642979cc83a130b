import { configError } from '../errors.js'
import { base62Checksum, CHECKSUM_LENGTH, decodeBase62, isBase62, randomBase62 } from './base62.js'
import { crc32 } from './crc32.js'

/**
 * API key format: `<prefix>_<30 random base62 chars><6 base62 chars of CRC-32>`, as GitHub
 * tokens (`ghp_…`). 30 base62 characters carry 178 bits from `crypto.getRandomValues`; the
 * CRC-32 covers the prefix, the separator and the random part, so a typo, a truncated copy or a
 * made-up key is refused before any store lookup. The checksum is no secret and no signature:
 * anyone can compute it; it only saves lookups.
 */
export const RANDOM_LENGTH = 30

/** Characters after the prefix and its `_`. */
export const BODY_LENGTH = RANDOM_LENGTH + CHECKSUM_LENGTH

const PREFIX = /^[A-Za-z0-9]{1,32}$/

/** Throw a config error unless `prefix` is 1–32 ASCII letters and digits. */
export function checkPrefix(kind: string, prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw configError(`${kind}: prefix must be 1 to 32 ASCII letters or digits (e.g. "pets"), got ${JSON.stringify(prefix)}`)
  }
}

/** A new random key with the given prefix. */
export function newKey(prefix: string): string {
  const head = `${prefix}_${randomBase62(RANDOM_LENGTH)}`
  return head + base62Checksum(crc32(head))
}

/**
 * True when `key` has the format, a prefix among `prefixes` and a correct checksum.
 * Synchronous, no store call.
 */
export function checkKey(key: string, prefixes: ReadonlySet<string>): boolean {
  const separator = key.length - BODY_LENGTH - 1
  if (separator < 1 || key.charCodeAt(separator) !== 95 /* _ */) return false
  if (!isBase62(key, separator + 1, key.length)) return false
  if (!prefixes.has(key.slice(0, separator))) return false
  const end = key.length - CHECKSUM_LENGTH
  return crc32(key, end) === decodeBase62(key, end, key.length)
}
