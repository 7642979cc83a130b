import { describe, expect, it } from 'vitest'
import { BY_DIGEST, DigestIndex } from './digest-index.js'
import { generateApiKey } from './generate.js'
import { base64url, keyDigest } from './hash.js'
import { memoryKeyStore } from './memory-store.js'

const digestOf = (key: string, pepper?: string): { tag: string; words: Int32Array } => {
  const digest = keyDigest(pepper === undefined ? {} : { pepper })
  return { tag: digest.tag, words: new Int32Array(digest.words(key)) }
}

describe('the memory store finds a key by its digest words', () => {
  it('gives the stored hash string for every stored key, and nothing for others', () => {
    const store = memoryKeyStore()
    const keys = Array.from({ length: 200 }, () => generateApiKey({ prefix: 'pets' }))
    for (const { hash, id } of keys) store.set(hash, { id, principal: {} })
    for (const { key, hash } of keys) {
      const { tag, words } = digestOf(key)
      expect(store[BY_DIGEST](tag, words)).toBe(hash)
    }
    const other = digestOf(generateApiKey({ prefix: 'pets' }).key)
    expect(store[BY_DIGEST](other.tag, other.words)).toBeUndefined()
  })

  it('tells a plain SHA-256 hash from an HMAC one with the same words', () => {
    const pepper = 'p'.repeat(32)
    const { key, hash } = generateApiKey({ prefix: 'pets' })
    const store = memoryKeyStore()
    store.set(hash, { id: 'a', principal: {} })
    const keyed = digestOf(key, pepper)
    expect(store[BY_DIGEST](keyed.tag, keyed.words)).toBeUndefined()
    const plain = digestOf(key)
    expect(store[BY_DIGEST]('v1$hmac-sha256$', plain.words)).toBeUndefined()
  })

  it('forgets a deleted key, keeps a replaced one, and finds it again after set', () => {
    const store = memoryKeyStore()
    const { key, hash } = generateApiKey({ prefix: 'pets' })
    const { tag, words } = digestOf(key)
    store.set(hash, { id: 'a', principal: {} })
    store.set(hash, { id: 'a', principal: { v: 2 } })
    expect(store[BY_DIGEST](tag, words)).toBe(hash)
    store.delete(hash)
    expect(store[BY_DIGEST](tag, words)).toBeUndefined()
    store.set(hash, { id: 'a', principal: {} })
    expect(store[BY_DIGEST](tag, words)).toBe(hash)
  })

  it('keeps every entry of a bucket apart (same first word, different digests)', () => {
    const index = new DigestIndex()
    const hashes: string[] = []
    for (let i = 0; i < 5; i++) {
      const words = new Int32Array([0x12345678, i, i * 3, 0, 0, 0, 0, i])
      hashes.push(`v1$sha256$${base64url(words)}`)
      index.add(hashes[i]!)
    }
    for (let i = 0; i < 5; i++) expect(index.find('v1$sha256$', new Int32Array([0x12345678, i, i * 3, 0, 0, 0, 0, i]))).toBe(hashes[i])
    index.remove(hashes[2]!)
    index.remove(hashes[0]!)
    expect(index.find('v1$sha256$', new Int32Array([0x12345678, 2, 6, 0, 0, 0, 0, 2]))).toBeUndefined()
    for (const i of [1, 3, 4]) expect(index.find('v1$sha256$', new Int32Array([0x12345678, i, i * 3, 0, 0, 0, 0, i]))).toBe(hashes[i])
  })

  it('indexes only canonical hash strings: a stray bit in the last character, a wrong length or alphabet is never found', () => {
    const words = new Int32Array([1, 2, 3, 4, 5, 6, 7, 8])
    const canonical = `v1$sha256$${base64url(words)}`
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    // The last character carries 4 bits of the digest and 2 padding bits: flip a padding bit.
    const stray = canonical.slice(0, -1) + alphabet[alphabet.indexOf(canonical.at(-1)!) ^ 1]!
    const index = new DigestIndex()
    for (const hash of [stray, `${canonical}A`, canonical.slice(0, -1), canonical.replace(/.$/, '*'), 'not-a-hash']) index.add(hash)
    expect(index.find('v1$sha256$', words)).toBeUndefined()
    index.add(canonical)
    expect(index.find('v1$sha256$', words)).toBe(canonical)
  })
})
