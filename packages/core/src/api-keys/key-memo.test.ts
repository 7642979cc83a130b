import { describe, expect, it } from 'vitest'
import { generateApiKey } from './generate.js'
import { KEY_MEMO_SIZE, KeyMemo } from './key-memo.js'

describe('KeyMemo (hash strings of recently accepted keys)', () => {
  it('answers the hash of a remembered key, and nothing for any other key', () => {
    const memo = new KeyMemo()
    const { key, hash } = generateApiKey({ prefix: 'pets' })
    expect(memo.get(key)).toBeUndefined()
    memo.set(key, hash)
    expect(memo.get(key)).toBe(hash)
    // Same last 16 characters (so the same index), one character changed before them: compared, refused.
    const head = key.length - 20
    const changedHead = key.slice(0, head) + (key[head] === 'x' ? 'y' : 'x') + key.slice(head + 1)
    const changedTail = key.slice(0, -1) + (key.endsWith('x') ? 'y' : 'x')
    for (const other of [changedHead, changedTail, key.slice(0, -1), `${key}x`, generateApiKey({ prefix: 'pets' }).key, '']) {
      expect(memo.get(other), other).toBeUndefined()
    }
  })

  it('a request key that is a different string object with the same characters is found', () => {
    const memo = new KeyMemo()
    const { key, hash } = generateApiKey({ prefix: 'pets' })
    memo.set(key, hash)
    expect(memo.get(Buffer.from(key).toString('latin1'))).toBe(hash)
  })

  it(`holds at most ${KEY_MEMO_SIZE} keys: a newer key takes over its slot`, () => {
    const memo = new KeyMemo()
    const keys = Array.from({ length: KEY_MEMO_SIZE * 4 }, () => generateApiKey({ prefix: 'pets' }))
    for (const { key, hash } of keys) memo.set(key, hash)
    expect(memo.size).toBeLessThanOrEqual(KEY_MEMO_SIZE)
    expect(memo.size).toBeGreaterThan(KEY_MEMO_SIZE * 0.9)
    const found = keys.filter(({ key, hash }) => memo.get(key) === hash).length
    expect(found).toBe(memo.size)
    expect(memo.get(keys.at(-1)!.key)).toBe(keys.at(-1)!.hash)
  })

  it('a key longer than any issued key is neither kept nor found', () => {
    const memo = new KeyMemo()
    const long = `${'p'.repeat(40)}_${'a'.repeat(36)}`
    memo.set(long, 'v1$sha256$x')
    expect(memo.size).toBe(0)
    expect(memo.get(long)).toBeUndefined()
  })
})
