import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32.js'
import { hmacSha256, hmacSha256Words, sha256, sha256Words, wordsToBytes } from './sha256.js'

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

describe('pure-JS SHA-256 and HMAC-SHA-256', () => {
  it('matches node:crypto for every length from 0 to 300 bytes (all padding cases)', () => {
    for (let length = 0; length <= 300; length++) {
      const message = randomBytes(length)
      expect(hex(sha256(message)), `length ${length}`).toBe(createHash('sha256').update(message).digest('hex'))
    }
  })

  it('matches the FIPS 180-4 test vector for "abc"', () => {
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('HMAC matches node:crypto for short, 64-byte and long keys and any message length', () => {
    for (const keyLength of [1, 32, 63, 64, 65, 200]) {
      const key = randomBytes(keyLength)
      const mac = hmacSha256(key)
      for (const length of [0, 1, 40, 55, 56, 64, 119, 130]) {
        const message = randomBytes(length)
        expect(hex(mac(message))).toBe(createHmac('sha256', key).update(message).digest('hex'))
      }
    }
  })

  it('the ASCII string path matches node:crypto for every length from 0 to 119 characters, plain and HMAC', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-~\x7f\x00'
    const pepper = randomBytes(32)
    const mac = hmacSha256Words(pepper)
    for (let length = 0; length <= 119; length++) {
      let text = ''
      for (let i = 0; i < length; i++) text += alphabet[(i * 7 + length) % alphabet.length]
      const plain = sha256Words.ascii(text)
      expect(plain && hex(wordsToBytes(plain, new Uint8Array(32))), `length ${length}`).toBe(createHash('sha256').update(text, 'latin1').digest('hex'))
      const keyed = mac.ascii(text)
      expect(keyed && hex(wordsToBytes(keyed, new Uint8Array(32))), `HMAC length ${length}`).toBe(createHmac('sha256', pepper).update(text, 'latin1').digest('hex'))
    }
  })

  it('the ASCII string path declines non-ASCII and over-long strings (the caller encodes them)', () => {
    expect(sha256Words.ascii('pets_é')).toBeUndefined()
    expect(sha256Words.ascii('a'.repeat(120))).toBeUndefined()
    expect(sha256Words.ascii('\u0100')).toBeUndefined()
  })

  it('CRC-32 matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(crc32('')).toBe(0)
  })
})
