import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { generateApiKey } from './generate.js'
import { hashApiKey } from './hash.js'
import { checkKey } from './key-format.js'
import { BASE62 } from './base62.js'

const PETS = ['pets']

describe('generateApiKey and hashApiKey', () => {
  it('a key is the prefix, 30 random base62 characters and a 6-character checksum', () => {
    const { key, id, hash } = generateApiKey({ prefix: 'pets' })
    expect(key).toMatch(/^pets_[0-9A-Za-z]{36}$/)
    expect(checkKey(key, PETS)).toBe(true)
    expect(id).toMatch(/^pets_[A-Za-z0-9_-]{16}$/)
    expect(id).not.toContain(key.slice(5, 15))
    expect(hash).toBe(hashApiKey(key))
  })

  it('keys do not repeat and use the whole alphabet evenly (no modulo bias)', () => {
    const seen = new Set<string>()
    const counts = new Map<string, number>()
    for (let i = 0; i < 2000; i++) {
      const { key } = generateApiKey({ prefix: 'k' })
      seen.add(key)
      for (const ch of key.slice(2, 32)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    }
    expect(seen.size).toBe(2000)
    expect(counts.size).toBe(62)
    const expected = (2000 * 30) / 62
    for (const ch of BASE62) expect(Math.abs(counts.get(ch)! - expected) / expected, ch).toBeLessThan(0.2)
  })

  it('any single changed character, a wrong prefix or a truncation breaks the check', () => {
    const { key } = generateApiKey({ prefix: 'pets' })
    for (let i = 5; i < key.length; i++) {
      const replacement = key[i] === 'a' ? 'b' : 'a'
      expect(checkKey(key.slice(0, i) + replacement + key.slice(i + 1), PETS), `position ${i}`).toBe(false)
    }
    expect(checkKey(key.replace('pets_', 'pest_'), ['pest'])).toBe(false)
    expect(checkKey(key, ['other'])).toBe(false)
    expect(checkKey(key.slice(0, -1), PETS)).toBe(false)
    expect(checkKey(`${key}x`, PETS)).toBe(false)
    expect(checkKey('', PETS)).toBe(false)
  })

  it('the hash is versioned SHA-256, or HMAC-SHA-256 with a pepper', () => {
    const key = 'pets_abc'
    const b64 = (buffer: Buffer): string => buffer.toString('base64url')
    expect(hashApiKey(key)).toBe(`v1$sha256$${b64(createHash('sha256').update(key).digest())}`)
    const pepper = 'p'.repeat(32)
    expect(hashApiKey(key, { pepper })).toBe(`v1$hmac-sha256$${b64(createHmac('sha256', pepper).update(key).digest())}`)
    expect(generateApiKey({ prefix: 'pets', pepper }).hash).toMatch(/^v1\$hmac-sha256\$/)
  })

  it('hashApiKey matches node:crypto for ASCII strings of every length 0–200 and for non-ASCII text (fast and general paths)', () => {
    const pepper = 'q'.repeat(40)
    for (let length = 0; length <= 200; length++) {
      const text = 'k'.repeat(length)
      expect(hashApiKey(text || 'x'), `length ${length}`).toBe(`v1$sha256$${createHash('sha256').update(text || 'x').digest('base64url')}`)
      expect(hashApiKey(text || 'x', { pepper })).toBe(`v1$hmac-sha256$${createHmac('sha256', pepper).update(text || 'x').digest('base64url')}`)
    }
    expect(hashApiKey('clé_ünïcode')).toBe(`v1$sha256$${createHash('sha256').update('clé_ünïcode').digest('base64url')}`)
  })

  it('a short pepper or a bad prefix is a config error', () => {
    expect(() => hashApiKey('k', { pepper: 'short' })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    for (const prefix of ['', 'with space', 'a_b', 'x'.repeat(33), undefined]) {
      expect(() => generateApiKey({ prefix } as never), String(prefix)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    }
  })
})
