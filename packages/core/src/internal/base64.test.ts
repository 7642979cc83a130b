import { describe, expect, it } from 'vitest'
import { decodeBase64, decodeUtf8 } from './base64.js'

const text = (input: string): string | undefined => {
  const bytes = decodeBase64(input)
  return bytes === undefined ? undefined : decodeUtf8(bytes)
}

describe('decodeBase64', () => {
  it('decodes the RFC 7617 example', () => {
    expect(text('QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toBe('Aladdin:open sesame')
  })

  it('decodes the RFC 4648 test vectors, padded and unpadded', () => {
    const vectors: [string, string][] = [['Zg==', 'f'], ['Zm8=', 'fo'], ['Zm9v', 'foo'], ['Zm9vYg==', 'foob'], ['Zm9vYmE=', 'fooba'], ['Zm9vYmFy', 'foobar']]
    for (const [encoded, plain] of vectors) {
      expect(text(encoded)).toBe(plain)
      expect(text(encoded.replace(/=+$/, ''))).toBe(plain)
    }
  })

  it('agrees with Buffer on random bytes', () => {
    for (let n = 1; n < 40; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + n * 11) & 0xff)
      const encoded = Buffer.from(bytes).toString('base64')
      expect(decodeBase64(encoded)).toEqual(bytes)
    }
  })

  it('rejects empty input, foreign characters, the URL-safe alphabet and whitespace', () => {
    for (const bad of ['', 'Zm9v!', 'Zm9v_-', 'Zm 9v', 'Zm9v\n', 'Zé==']) expect(decodeBase64(bad), bad).toBeUndefined()
  })

  it('rejects wrong padding and impossible lengths', () => {
    for (const bad of ['Zg=', 'Z===', '====', 'Zm9vY', 'Z', 'Zg==Zg==', '=Zg=']) expect(decodeBase64(bad), bad).toBeUndefined()
  })

  it('rejects non-canonical encodings (non-zero leftover bits)', () => {
    expect(decodeBase64('Zh==')).toBeUndefined()
    expect(decodeBase64('Zm9=')).toBeUndefined()
  })
})

describe('decodeUtf8', () => {
  it('decodes UTF-8 (test:123£ from RFC 7617)', () => {
    expect(decodeUtf8(new Uint8Array([0x74, 0x65, 0x73, 0x74, 0x3a, 0x31, 0x32, 0x33, 0xc2, 0xa3]))).toBe('test:123£')
  })

  it('returns undefined on invalid UTF-8 instead of replacing characters', () => {
    expect(decodeUtf8(new Uint8Array([0x61, 0xa3]))).toBeUndefined()
    expect(decodeUtf8(new Uint8Array([0xc0, 0x80]))).toBeUndefined()
    expect(decodeUtf8(new Uint8Array([0xed, 0xa0, 0x80]))).toBeUndefined()
  })
})
