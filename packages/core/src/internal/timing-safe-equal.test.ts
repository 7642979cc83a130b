import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBasic } from '../schemes/http-basic.js'
import { secretMatcher, timingSafeEqual } from './timing-safe-equal.js'

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

  /** Count `charCodeAt` calls on `input` while `run` runs (String.prototype is patched, then restored). */
  function readsOf(input: string, run: () => void): number {
    let reads = 0
    const original = String.prototype.charCodeAt
    String.prototype.charCodeAt = function (this: string, index: number) {
      if (String(this) === input) reads++
      return original.call(this, index)
    }
    try {
      run()
    } finally {
      String.prototype.charCodeAt = original
    }
    return reads
  }

  it('visits every character of the input whatever the secret (no early exit)', () => {
    const input = 'Xbcdefgh'
    expect(readsOf(input, () => expect(timingSafeEqual(input, 'abcdefgh')).toBe(false))).toBe(input.length)
  })

  it('a non-string on either side is unequal and never throws (an unknown user is not a 500)', () => {
    const USERS: Record<string, string> = { admin: 's3cret' }
    expect(timingSafeEqual('s3cret', USERS.nobody)).toBe(false)
    expect(timingSafeEqual('s3cret', null as never)).toBe(false)
    expect(timingSafeEqual(undefined as never, 's3cret')).toBe(false)
    expect(timingSafeEqual(123 as never, '123')).toBe(false)
    expect(timingSafeEqual({ length: 3, toString: () => 'abc' } as never, 'abc')).toBe(false)
    expect(timingSafeEqual(new String('abc') as never, 'abc')).toBe(false)
    expect(timingSafeEqual(Symbol('x') as never, Symbol('x') as never)).toBe(false)
  })

  it('without a usable secret the input is still read in full: time depends only on its length', () => {
    const input = 'guessed-password'
    for (const secret of [undefined, null, '', 42]) {
      expect(readsOf(input, () => expect(timingSafeEqual(input, secret as never)).toBe(false))).toBe(input.length)
    }
  })

  it('the README pattern timingSafeEqual(password, USERS[name]) answers 401 for an unknown user, as for a wrong password', async () => {
    const USERS: Record<string, string> = { admin: 's3cret-password' }
    const auth = createAuth({ schemes: { B: httpBasic({ verify: ({ username, password }) => (timingSafeEqual(password, USERS[username]!) ? { username } : null) }) } })
    const login = (userPass: string) => auth.authenticate(new Request('http://localhost/', { headers: { authorization: `Basic ${btoa(userPass)}` } }), [{ B: [] }])
    expect(await login('admin:wrong')).toMatchObject({ ok: false, status: 401 })
    expect(await login('nobody:wrong')).toMatchObject({ ok: false, status: 401 })
    expect(await login('admin:s3cret-password')).toMatchObject({ ok: true })
  })
})

describe('secretMatcher (one secret known in advance)', () => {
  it('agrees with timingSafeEqual on prefixes, extensions, one-character changes, wrap-arounds and non-ASCII', () => {
    const secrets = ['k', 'ab', 'abc', 'abcd', 'abcde', 'k-demo-123', 'pets_0123456789abcdefghijABCDEFGHIJ012345', 'пароль', 'a\u0000b']
    for (const secret of secrets) {
      const match = secretMatcher(secret)
      const inputs = [
        secret,
        '',
        secret.slice(0, -1),
        `${secret}x`,
        secret + secret, // wraps around the table
        `${secret}\uffff`,
        secret.slice(0, -1) + String.fromCharCode(secret.charCodeAt(secret.length - 1) ^ 1),
        String.fromCharCode(secret.charCodeAt(0) ^ 1) + secret.slice(1),
        secret.padEnd(64, '\u0000'),
      ]
      for (const input of inputs) expect(match(input), `${JSON.stringify(secret)} vs ${JSON.stringify(input)}`).toBe(timingSafeEqual(input, secret))
    }
  })

  it('a change at any one position is refused (each of the four accumulators, and the tail, counts)', () => {
    for (const secret of ['abcdefghijklmnopq', 'k_a1B2c3D4e5a1B2c3D4e5a1B2c3D4e5a1B2c3D4e5', 'xyz']) {
      const match = secretMatcher(secret)
      expect(match(secret)).toBe(true)
      for (let i = 0; i < secret.length; i++) {
        const changed = secret.slice(0, i) + String.fromCharCode(secret.charCodeAt(i) ^ 0x20) + secret.slice(i + 1)
        expect(match(changed), `${secret} changed at ${i}`).toBe(false)
      }
    }
  })

  it('refuses an empty secret at creation', () => {
    expect(() => secretMatcher('')).toThrow()
  })
})
