import { configError } from '../errors.js'
import { BASE62_VALUES, base62Checksum, CHECKSUM_LENGTH, decodeBase62, randomBase62 } from './base62.js'
import { crc32, CRC32_TABLE } from './crc32.js'

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

/** True when `key` starts with one of `prefixes` followed by the separator at `separator`. */
function hasPrefix(key: string, separator: number, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (prefix.length === separator && key.startsWith(prefix)) return true
  return false
}

/**
 * True when `key` has the format, a prefix among `prefixes` and a correct checksum.
 * Synchronous, no store call; one pass computes the CRC-32 and checks the alphabet.
 */
export function checkKey(key: string, prefixes: readonly string[]): boolean {
  const end = key.length - CHECKSUM_LENGTH
  const separator = end - RANDOM_LENGTH - 1
  if (separator < 1 || key.charCodeAt(separator) !== 95 /* _ */ || !hasPrefix(key, separator, prefixes)) return false
  const checksum = decodeBase62(key, end, key.length)
  if (checksum < 0) return false
  let crc = -1
  for (let i = 0; i <= separator; i++) crc = CRC32_TABLE[(crc ^ key.charCodeAt(i)) & 0xff]! ^ (crc >>> 8)
  for (let i = separator + 1; i < end; i++) {
    const c = key.charCodeAt(i)
    if (c > 127 || BASE62_VALUES[c]! < 0) return false
    crc = CRC32_TABLE[(crc ^ c) & 0xff]! ^ (crc >>> 8)
  }
  return (crc ^ -1) >>> 0 === checksum
}
