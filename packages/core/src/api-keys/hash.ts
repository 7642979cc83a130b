import { configError } from '../errors.js'
import { hmacSha256, sha256 } from './sha256.js'

/** Options of {@link hashApiKey}. */
export interface HashApiKeyOptions {
  /**
   * A server-side secret (≥ 32 bytes): the hash becomes HMAC-SHA-256 keyed with it, so a leaked
   * table of hashes cannot even be checked against guessed keys without the pepper.
   * @default none: plain SHA-256 (keys carry 178 random bits, so this is already safe to store)
   */
  pepper?: string | Uint8Array
}

/** A stored key hash and the public id derived from it. */
export interface KeyDigest {
  /** `v1$sha256$<base64url>` or `v1$hmac-sha256$<base64url>`: what the store is keyed by. */
  readonly hash: string
  /** Public identifier for logs, dashboards and per-key counters: `<prefix>_<16 hex chars>`. */
  readonly id: string
}

const encoder = new TextEncoder()
const B64URL = new TextEncoder().encode('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_')
const HEX = new TextEncoder().encode('0123456789abcdef')

/** UTF-8 bytes of `text`, without TextEncoder for the ASCII keys of the hot path. */
function utf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c > 127) return encoder.encode(text)
    out[i] = c
  }
  return out
}

/** `tag` + unpadded base64url of a 32-byte digest, built as one byte string. */
function tagged(tag: Uint8Array, digest: Uint8Array): string {
  const out = new Uint8Array(tag.length + 43)
  out.set(tag)
  let o = tag.length
  let i = 0
  for (; i + 2 < 32; i += 3) {
    const n = (digest[i]! << 16) | (digest[i + 1]! << 8) | digest[i + 2]!
    out[o++] = B64URL[n >>> 18]!
    out[o++] = B64URL[(n >>> 12) & 63]!
    out[o++] = B64URL[(n >>> 6) & 63]!
    out[o++] = B64URL[n & 63]!
  }
  const n = (digest[30]! << 16) | (digest[31]! << 8)
  out[o++] = B64URL[n >>> 18]!
  out[o++] = B64URL[(n >>> 12) & 63]!
  out[o] = B64URL[(n >>> 6) & 63]!
  return String.fromCharCode.apply(null, out as unknown as number[])
}

/** `prefix_` + 16 hex characters of the digest's first 8 bytes. */
function publicId(key: string, digest: Uint8Array): string {
  const separator = key.lastIndexOf('_')
  const prefix = separator > 0 ? key.slice(0, separator) : 'key'
  const out = new Uint8Array(16)
  for (let i = 0; i < 8; i++) {
    out[i * 2] = HEX[digest[i]! >>> 4]!
    out[i * 2 + 1] = HEX[digest[i]! & 15]!
  }
  return `${prefix}_${String.fromCharCode.apply(null, out as unknown as number[])}`
}

/**
 * A function from a key to its {@link KeyDigest}, built once per scheme or store: the pepper's
 * HMAC pads are prepared here, not per request. Synchronous (see sha256.ts for why).
 */
export function keyHasher(options: HashApiKeyOptions = {}): (key: string) => KeyDigest {
  if (options === null || typeof options !== 'object') throw configError('hashApiKey: options must be an object')
  const { pepper } = options
  let fn: (message: Uint8Array) => Uint8Array = sha256
  let tag = encoder.encode('v1$sha256$')
  if (pepper !== undefined) {
    const bytes = typeof pepper === 'string' ? encoder.encode(pepper) : pepper
    if (!(bytes instanceof Uint8Array) || bytes.length < 32) throw configError('hashApiKey: pepper must be at least 32 bytes')
    fn = hmacSha256(bytes)
    tag = encoder.encode('v1$hmac-sha256$')
  }
  return (key) => {
    const digest = fn(utf8(key))
    return { hash: tagged(tag, digest), id: publicId(key, digest) }
  }
}

/**
 * The string to store for `key`: versioned (`v1$…`) so the format can change later without
 * stranding stored keys. SHA-256, or HMAC-SHA-256 with `options.pepper`.
 *
 * @example await store.set(hashApiKey(key), { id, principal: { team: 'ci' } })
 */
export function hashApiKey(key: string, options?: HashApiKeyOptions): string {
  if (typeof key !== 'string' || key.length === 0) throw configError('hashApiKey: key must be a non-empty string')
  return keyHasher(options)(key).hash
}
