import { createHash, createHmac, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32.js'
import { hmacSha256, sha256 } from './sha256.js'

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

  it('CRC-32 matches the standard check value', () => {
    expect(crc32('123456789')).toBe(0xcbf43926)
    expect(crc32('')).toBe(0)
  })
})
