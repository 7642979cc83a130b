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
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const HEX = '0123456789abcdef'

function base64url(bytes: Uint8Array): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!
  }
  if (i < bytes.length) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8)
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]!
    if (i + 1 < bytes.length) out += B64URL[(n >>> 6) & 63]!
  }
  return out
}

/**
 * A function from a key to its {@link KeyDigest}, built once per scheme or store: the pepper's
 * HMAC pads are prepared here, not per request. Synchronous (see sha256.ts for why).
 */
export function keyHasher(options: HashApiKeyOptions = {}): (key: string) => KeyDigest {
  if (options === null || typeof options !== 'object') throw configError('hashApiKey: options must be an object')
  const { pepper } = options
  let fn: (message: Uint8Array) => Uint8Array = sha256
  let tag = 'v1$sha256$'
  if (pepper !== undefined) {
    const bytes = typeof pepper === 'string' ? encoder.encode(pepper) : pepper
    if (!(bytes instanceof Uint8Array) || bytes.length < 32) throw configError('hashApiKey: pepper must be at least 32 bytes')
    fn = hmacSha256(bytes)
    tag = 'v1$hmac-sha256$'
  }
  return (key) => {
    const digest = fn(encoder.encode(key))
    let hex = ''
    for (let i = 0; i < 8; i++) hex += HEX[digest[i]! >>> 4]! + HEX[digest[i]! & 15]!
    const separator = key.lastIndexOf('_')
    return { hash: tag + base64url(digest), id: `${separator > 0 ? key.slice(0, separator) : 'key'}_${hex}` }
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
