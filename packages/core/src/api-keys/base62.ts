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

/** The number that base62 characters `start`…`end` of `text` spell (they must be base62). */
export function decodeBase62(text: string, start: number, end: number): number {
  let value = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    value = value * 62 + (c <= 57 ? c - 48 : c <= 90 ? c - 55 : c - 61)
  }
  return value
}

/** True when every character of `text` from `start` to `end` is in the base62 alphabet. */
export function isBase62(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false
  }
  return true
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
