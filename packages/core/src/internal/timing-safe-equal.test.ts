import { describe, expect, it } from 'vitest'
import { timingSafeEqual } from './timing-safe-equal.js'

describe('timingSafeEqual', () => {
  it('equal strings → true', () => {
    expect(timingSafeEqual('s3cret-key', 's3cret-key')).toBe(true)
    expect(timingSafeEqual('£€😀', '£€😀')).toBe(true)
  })

  it('a difference at the first, a middle or the last character → false', () => {
    expect(timingSafeEqual('X3cret', 's3cret')).toBe(false)
    expect(timingSafeEqual('s3Xret', 's3cret')).toBe(false)
    expect(timingSafeEqual('s3creX', 's3cret')).toBe(false)
  })

  it('different lengths → false, both ways, and a prefix is not enough', () => {
    expect(timingSafeEqual('s3cre', 's3cret')).toBe(false)
    expect(timingSafeEqual('s3crets3cret', 's3cret')).toBe(false)
    expect(timingSafeEqual('s3cret\u0000', 's3cret')).toBe(false)
  })

  it('an input that repeats the secret (the index wraps around it) is still different', () => {
    expect(timingSafeEqual('abab', 'ab')).toBe(false)
  })

  it('an empty secret never matches, not even an empty input', () => {
    expect(timingSafeEqual('', '')).toBe(false)
    expect(timingSafeEqual('x', '')).toBe(false)
  })

  it('an empty input never matches a non-empty secret', () => {
    expect(timingSafeEqual('', 'secret')).toBe(false)
  })

  it('never throws on long, lone-surrogate or control-character input', () => {
    expect(timingSafeEqual('a'.repeat(100_000), 'secret')).toBe(false)
    expect(timingSafeEqual('\ud800\udfff\u0000', 'secret')).toBe(false)
  })

  it('visits every character of the input whatever the secret (no early exit)', () => {
    // A proxy string counts charCodeAt calls: the loop must not stop at the first difference.
    let reads = 0
    const input = 'Xbcdefgh'
    const spy = new Proxy(new String(input), {
      get(target, key) {
        if (key === 'charCodeAt') return (i: number) => (reads++, input.charCodeAt(i))
        if (key === 'length') return input.length
        return Reflect.get(target, key) as unknown
      },
    }) as unknown as string
    expect(timingSafeEqual(spy, 'abcdefgh')).toBe(false)
    expect(reads).toBe(input.length)
  })
})
