const TABLE = new Int16Array(128).fill(-1)
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  for (let i = 0; i < alphabet.length; i++) TABLE[alphabet.charCodeAt(i)] = i
}

/**
 * Strict RFC 4648 base64 (standard alphabet) decoding. Padding may be omitted, but when present
 * it must be correct; any other character, or a length that no encoding produces, gives
 * `undefined`. Never throws.
 */
export function decodeBase64(input: string): Uint8Array | undefined {
  let len = input.length
  if (len === 0) return undefined
  if (len % 4 === 0) {
    if (input.charCodeAt(len - 1) === 0x3d) len--
    if (input.charCodeAt(len - 1) === 0x3d) len--
  } else if (input.indexOf('=') !== -1) {
    return undefined
  }
  if (len % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor((len * 3) / 4))
  let o = 0
  let buffer = 0
  let bits = 0
  for (let i = 0; i < len; i++) {
    const c = input.charCodeAt(i)
    const v = c < 128 ? TABLE[c]! : -1
    if (v === -1) return undefined
    buffer = (buffer << 6) | v
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[o++] = (buffer >> bits) & 0xff
    }
  }
  // Non-zero leftover bits mean a non-canonical encoding.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined
  return out
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Decode UTF-8 strictly; invalid sequences give `undefined`. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes)
  } catch {
    return undefined
  }
}
