/**
 * A small synchronous SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) in plain JavaScript.
 *
 * Why not `crypto.subtle.digest`: every call is a promise that hops off the JS thread and costs
 * ~30 µs on Node (bench/: `apiKeyHash`), while an API key is one or two 64-byte blocks that
 * this code hashes in ~1 µs. `node:crypto` would be faster still, but the core must run
 * unchanged on workerd, Deno, Bun and browsers. Keys are hashed, never compared, so the
 * variable running time of this code reveals nothing an attacker does not already send.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])
const INITIAL = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])

// One message schedule, reused: the code is synchronous, so no two calls share it at once.
const W = new Int32Array(16)

/** Run the compression function over the 64-byte block of `bytes` at `offset`. */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = W
  for (let i = 0; i < 16; i++) {
    const j = offset + (i << 2)
    w[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!
  for (let i = 0; i < 64; i++) {
    let wi: number
    if (i < 16) wi = w[i]!
    else {
      // Message schedule in a rolling window of 16 words.
      const w15 = w[(i - 15) & 15]!
      const w2 = w[(i - 2) & 15]!
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)
      wi = (w[i & 15]! + s0 + w[(i - 7) & 15]! + s1) | 0
      w[i & 15] = wi
    }
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
    const t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i]! + wi) | 0
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
    const t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0
    h = g
    g = f
    f = e
    e = (d + t1) | 0
    d = c
    c = b
    b = a
    a = (t1 + t2) | 0
  }
  state[0] = (state[0]! + a) | 0
  state[1] = (state[1]! + b) | 0
  state[2] = (state[2]! + c) | 0
  state[3] = (state[3]! + d) | 0
  state[4] = (state[4]! + e) | 0
  state[5] = (state[5]! + f) | 0
  state[6] = (state[6]! + g) | 0
  state[7] = (state[7]! + h) | 0
}

// Working buffers, reused: the code is synchronous, so no two calls share them at once.
const STATE = new Int32Array(8)
const TAIL = new Uint8Array(128)
const INNER = new Uint8Array(32)

/**
 * SHA-256 of `message`, continuing from `from` (a state after `prefixBytes` bytes of whole
 * blocks). Returns the eight state words in a shared buffer: read them before the next call.
 */
function digestWords(message: Uint8Array, from: Int32Array, prefixBytes: number): Int32Array {
  STATE.set(from)
  const whole = message.length - (message.length % 64)
  for (let offset = 0; offset < whole; offset += 64) compress(STATE, message, offset)
  const rest = message.length - whole
  for (let i = 0; i < rest; i++) TAIL[i] = message[whole + i]!
  return finish(rest, prefixBytes + message.length)
}

/**
 * Pad the `rest` bytes already in TAIL (0x80, zeros, the total length in bits as a 64-bit
 * big-endian number) and compress the last one or two blocks into STATE.
 */
function finish(rest: number, totalBytes: number): Int32Array {
  const end = rest < 56 ? 64 : 128
  TAIL[rest] = 0x80
  for (let i = rest + 1; i < end - 8; i++) TAIL[i] = 0
  const bits = totalBytes * 8
  const high = Math.floor(bits / 0x100000000)
  TAIL[end - 8] = high >>> 24
  TAIL[end - 7] = high >>> 16
  TAIL[end - 6] = high >>> 8
  TAIL[end - 5] = high
  TAIL[end - 4] = bits >>> 24
  TAIL[end - 3] = bits >>> 16
  TAIL[end - 2] = bits >>> 8
  TAIL[end - 1] = bits
  compress(STATE, TAIL, 0)
  if (end === 128) compress(STATE, TAIL, 64)
  return STATE
}

/**
 * SHA-256 of an ASCII string of at most 119 characters (an API key), from `from` after
 * `prefixBytes` bytes, written straight from the string into the padding buffer: no
 * TextEncoder, no allocation. `undefined` for other strings (the caller falls back).
 */
export function digestAscii(text: string, from: Int32Array = INITIAL, prefixBytes = 0): Int32Array | undefined {
  if (text.length > 119) return undefined
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c > 127) return undefined
    TAIL[i] = c
  }
  STATE.set(from)
  return finish(text.length, prefixBytes + text.length)
}

/** Write eight big-endian words as 32 bytes into `out`. */
export function wordsToBytes(words: Int32Array, out: Uint8Array): Uint8Array {
  for (let i = 0; i < 8; i++) {
    const word = words[i]!
    out[i * 4] = word >>> 24
    out[i * 4 + 1] = word >>> 16
    out[i * 4 + 2] = word >>> 8
    out[i * 4 + 3] = word
  }
  return out
}

/** SHA-256 of `message` (32 bytes). */
export function sha256(message: Uint8Array): Uint8Array {
  return wordsToBytes(digestWords(message, INITIAL, 0), new Uint8Array(32))
}

/** A digest function with a fast path for short ASCII strings (`undefined` when it does not apply). */
export interface WordsDigest {
  (message: Uint8Array): Int32Array
  ascii(text: string): Int32Array | undefined
}

/** SHA-256 of `message` as eight words in a shared buffer (read them before the next call). */
export const sha256Words: WordsDigest = Object.assign((message: Uint8Array): Int32Array => digestWords(message, INITIAL, 0), {
  ascii: (text: string): Int32Array | undefined => digestAscii(text, INITIAL, 0),
})

/**
 * An HMAC-SHA-256 function for one `key`, returning eight words in a shared buffer. The inner
 * and outer pad blocks are compressed once here, so each call costs two or three compressions
 * instead of four.
 */
export function hmacSha256Words(key: Uint8Array): WordsDigest {
  const block = new Uint8Array(64)
  block.set(key.length > 64 ? sha256(key) : key)
  const inner = new Int32Array(INITIAL)
  const outer = new Int32Array(INITIAL)
  const pad = new Uint8Array(64)
  for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x36
  compress(inner, pad, 0)
  for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x5c
  compress(outer, pad, 0)
  const mac = (message: Uint8Array): Int32Array => digestWords(wordsToBytes(digestWords(message, inner, 64), INNER), outer, 64)
  mac.ascii = (text: string): Int32Array | undefined => {
    const words = digestAscii(text, inner, 64)
    return words === undefined ? undefined : digestWords(wordsToBytes(words, INNER), outer, 64)
  }
  return mac
}

/** HMAC-SHA-256 with `key` (32 bytes per call). */
export function hmacSha256(key: Uint8Array): (message: Uint8Array) => Uint8Array {
  const mac = hmacSha256Words(key)
  return (message) => wordsToBytes(mac(message), new Uint8Array(32))
}
