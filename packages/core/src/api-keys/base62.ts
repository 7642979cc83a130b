/** The base62 alphabet of API keys: digits, upper case, lower case (as GitHub tokens). */
export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** Characters a 32-bit checksum takes in base62 (62^6 > 2^32). */
export const CHECKSUM_LENGTH = 6

/** A 32-bit unsigned number as exactly six base62 characters, zero-padded. */
export function base62Checksum(value: number): string {
  let out = ''
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62[value % 62]! + out
    value = Math.floor(value / 62)
  }
  return out
}

/** The value of each ASCII character in base62, or -1 for characters outside the alphabet. */
export const BASE62_VALUES = new Int8Array(128).fill(-1)
for (let i = 0; i < 62; i++) BASE62_VALUES[BASE62.charCodeAt(i)] = i

/** The number that characters `start`…`end` of `text` spell in base62, or -1 when one is not base62. */
export function decodeBase62(text: string, start: number, end: number): number {
  let value = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    const digit = c < 128 ? BASE62_VALUES[c]! : -1
    if (digit < 0) return -1
    value = value * 62 + digit
  }
  return value
}

/**
 * `length` uniformly random base62 characters from `crypto.getRandomValues`. Bytes ≥ 248 are
 * dropped (248 = 4 × 62), so every character is equally likely: log2(62) ≈ 5.95 bits each.
 */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2))
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      if (bytes[i]! < 248) out += BASE62[bytes[i]! % 62]!
    }
  }
  return out
}
