/**
 * A small synchronous SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) in plain JavaScript.
 *
 * Measured reasons, `node bench/src/hash-choice.mjs` (one process, 40-character keys, rounds
 * interleaved, 2-core host under load): a stored-key request on Hono costs 23–28 µs end to end
 * (`app.fetch`, throttling on); hashing its key costs 0.92–1.02 µs here, 2.08–2.54 µs with
 * `@noble/hashes` (audited, synchronous, portable), i.e. noble would add 4.97–5.6% to the request (3 of 4 runs above 5%: a close call),
 * more than the 5% this project accepts for a dependency's convenience; `node:crypto`'s
 * `createHash` costs 0.94–1.20 µs, but the core imports no `node:*` module, so that it runs
 * unchanged on workerd without `nodejs_compat` and in browsers. `crypto.subtle.digest` is a
 * promise per call (~30 µs on Node). Keys are hashed, never compared, so the variable running
 * time of this code reveals nothing an attacker does not already send; sha256.test.ts checks it
 * against node:crypto for every length from 0 to 300 bytes and the FIPS 180-4 vector.
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
const W = new Int32Array(64)

/** Compress the 64-byte block of `bytes` at `offset` into `state`. */
function compressBytes(state: Int32Array, bytes: Uint8Array, offset: number): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + (i << 2)
    W[i] = (bytes[j]! << 24) | (bytes[j + 1]! << 16) | (bytes[j + 2]! << 8) | bytes[j + 3]!
  }
  rounds(state)
}

/** Compress the 16 big-endian words of `words` at `offset` into `state`. */
function compressWords(state: Int32Array, words: Int32Array, offset: number): void {
  for (let i = 0; i < 16; i++) W[i] = words[offset + i]!
  rounds(state)
}

/**
 * The compression function over the block in W[0…15]: the whole message schedule first, then
 * the rounds two at a time, renaming the working variables instead of shifting all eight
 * every round. Rotations are written out (ROTR(x, n) is `(x >>> n) | (x << 32 - n)`): a
 * helper function measured slower on V8.
 */
function rounds(state: Int32Array): void {
  const w = W
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!
    const y = w[i - 2]!
    w[i] = (w[i - 16]! + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 7]! + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!, f = state[5]!, g = state[6]!, h = state[7]!
  for (let i = 0; i < 64; i += 2) {
    // Round i: the new e lands in h's place and the new a in d's.
    let t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + (g ^ (e & (f ^ g))) + K[i]! + w[i]!) | 0
    let t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) | (c & (a | b)))) | 0
    h = (d + t1) | 0
    d = (t1 + t2) | 0
    // Round i + 1, on (d, a, b, c, h, e, f, g): the new e lands in g's place and the new a in c's.
    t1 = (g + (((h >>> 6) | (h << 26)) ^ ((h >>> 11) | (h << 21)) ^ ((h >>> 25) | (h << 7))) + (f ^ (h & (e ^ f))) + K[i + 1]! + w[i + 1]!) | 0
    t2 = ((((d >>> 2) | (d << 30)) ^ ((d >>> 13) | (d << 19)) ^ ((d >>> 22) | (d << 10))) + ((d & a) | (b & (d | a)))) | 0
    g = (c + t1) | 0
    c = (t1 + t2) | 0
    // Back to the usual names: (a, b, c, d, e, f, g, h) ← (c, d, a, b, g, h, e, f).
    const a1 = c, b1 = d, e1 = g, f1 = h
    c = a
    d = b
    g = e
    h = f
    a = a1
    b = b1
    e = e1
    f = f1
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
/** The last one or two blocks of a message, as big-endian words, padded in place. */
const TAIL = new Int32Array(32)

/**
 * Pad the `rest` message bytes already in TAIL (0x80, zeros, the total length in bits as a
 * 64-bit big-endian number) and compress the last one or two blocks into STATE. TAIL must
 * hold zeros after the message's last byte.
 */
function finish(rest: number, totalBytes: number): Int32Array {
  TAIL[rest >> 2] = TAIL[rest >> 2]! | (0x80 << (24 - ((rest & 3) << 3)))
  const end = rest < 56 ? 16 : 32
  const bits = totalBytes * 8
  TAIL[end - 2] = Math.floor(bits / 0x100000000)
  TAIL[end - 1] = bits | 0
  compressWords(STATE, TAIL, 0)
  if (end === 32) compressWords(STATE, TAIL, 16)
  return STATE
}

/**
 * SHA-256 of `message`, continuing from `from` (a state after `prefixBytes` bytes of whole
 * blocks). Returns the eight state words in a shared buffer: read them before the next call.
 */
function digestWords(message: Uint8Array, from: Int32Array, prefixBytes: number): Int32Array {
  STATE.set(from)
  const whole = message.length - (message.length % 64)
  for (let offset = 0; offset < whole; offset += 64) compressBytes(STATE, message, offset)
  const rest = message.length - whole
  TAIL.fill(0)
  for (let i = 0; i < rest; i++) TAIL[i >> 2] = TAIL[i >> 2]! | (message[whole + i]! << (24 - ((i & 3) << 3)))
  return finish(rest, prefixBytes + message.length)
}

/**
 * SHA-256 of an ASCII string of at most 119 characters (an API key), from `from` after
 * `prefixBytes` bytes, packed straight from the string into big-endian words: no TextEncoder,
 * no byte buffer, no allocation. `undefined` for other strings (the caller falls back).
 */
export function digestAscii(text: string, from: Int32Array = INITIAL, prefixBytes = 0): Int32Array | undefined {
  const length = text.length
  if (length > 119) return undefined
  const whole = length & ~3
  let high = 0
  for (let i = 0; i < whole; i += 4) {
    const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2), c3 = text.charCodeAt(i + 3)
    high |= c0 | c1 | c2 | c3
    TAIL[i >> 2] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3
  }
  let last = 0
  for (let i = whole; i < length; i++) {
    const c = text.charCodeAt(i)
    high |= c
    last |= c << (24 - ((i & 3) << 3))
  }
  if (high > 127) return undefined
  TAIL[whole >> 2] = last
  for (let i = (whole >> 2) + 1; i < 32; i++) TAIL[i] = 0
  STATE.set(from)
  return finish(length, prefixBytes + length)
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

/** The outer hash of HMAC: the 32-byte inner digest (eight words) after the outer pad block. */
function outerDigest(inner: Int32Array, outer: Int32Array): Int32Array {
  for (let i = 0; i < 8; i++) TAIL[i] = inner[i]!
  for (let i = 8; i < 16; i++) TAIL[i] = 0
  STATE.set(outer)
  return finish(32, 96)
}

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
  compressBytes(inner, pad, 0)
  for (let i = 0; i < 64; i++) pad[i] = block[i]! ^ 0x5c
  compressBytes(outer, pad, 0)
  const mac = (message: Uint8Array): Int32Array => outerDigest(digestWords(message, inner, 64), outer)
  mac.ascii = (text: string): Int32Array | undefined => {
    const words = digestAscii(text, inner, 64)
    return words === undefined ? undefined : outerDigest(words, outer)
  }
  return mac
}

/** HMAC-SHA-256 with `key` (32 bytes per call). */
export function hmacSha256(key: Uint8Array): (message: Uint8Array) => Uint8Array {
  const mac = hmacSha256Words(key)
  return (message) => wordsToBytes(mac(message), new Uint8Array(32))
}
