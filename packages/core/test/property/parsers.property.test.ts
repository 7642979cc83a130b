import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { findCookie } from '../../src/internal/cookies.js'
import { findQueryParam } from '../../src/internal/query.js'
import { quote } from '../../src/internal/quoted-string.js'
import { timingSafeEqual } from '../../src/internal/timing-safe-equal.js'
import { httpBasic, type BasicCredentials } from '../../src/schemes/http-basic.js'
import { anyUnicode } from '../support/arbitraries.js'
import { hasControl, lightRequest, withoutControls } from '../support/requests.js'

const noControls = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !hasControl(s))

describe('parser round trips', () => {
  it('Basic: any user-id without colon and any password decode exactly from base64(UTF-8)', async () => {
    let seen: BasicCredentials | undefined
    const auth = createAuth({ schemes: { B: httpBasic({ verify: (c) => ((seen = c), { ok: 1 }) }) } })
    await fc.assert(
      fc.asyncProperty(noControls.filter((u) => !u.includes(':')), noControls, async (username, password) => {
        const header = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
        expect((await auth.authenticate(lightRequest({ authorization: header }), [{ B: [] }])).ok).toBe(true)
        expect(seen).toEqual({ username, password })
      }),
      { numRuns: 300 },
    )
  })

  it('query: an encodeURIComponent-ed value is found exactly, among other parameters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.array(fc.string({ maxLength: 8 }).filter((s) => s !== 'k' && !s.includes('=')), { maxLength: 3 }), (value, others) => {
        const query = [...others.map((o) => `${encodeURIComponent(o)}=1`), `k=${encodeURIComponent(value)}`].join('&')
        expect(findQueryParam(query, 'k')).toEqual({ state: 'found', value })
      }),
      { numRuns: 300 },
    )
  })

  it('query: the same parameter twice with different values is always ambiguous', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (a, b) => {
        fc.pre(a !== b)
        expect(findQueryParam(`k=${encodeURIComponent(a)}&k=${encodeURIComponent(b)}`, 'k')).toEqual({ state: 'ambiguous' })
      }),
      { numRuns: 200 },
    )
  })

  it('cookie: any RFC 6265 cookie-octet value is found exactly, quoted or not', () => {
    const octet = fc.constantFrom(...'!#$&\'()*+-./0123456789:<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~'.split(''))
    fc.assert(
      fc.property(fc.string({ unit: octet, minLength: 1, maxLength: 30 }), fc.boolean(), (value, quoted) => {
        const header = `a=1; sid=${quoted ? `"${value}"` : value}; b=2`
        expect(findCookie(header, 'sid')).toEqual({ state: 'found', value })
      }),
      { numRuns: 300 },
    )
  })

  it('quote: the output is one quoted-string without controls, and unescaping it gives the input minus controls', () => {
    fc.assert(
      fc.property(anyUnicode(), (value) => {
        const quoted = quote(value)
        expect(hasControl(quoted)).toBe(false)
        expect(quoted).toMatch(/^"(?:[^"\\]|\\.)*"$/su)
        expect(quoted.slice(1, -1).replace(/\\(.)/gsu, '$1')).toBe(withoutControls(value))
      }),
      { numRuns: 300 },
    )
  })

  it('timingSafeEqual agrees with === for non-empty secrets', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ minLength: 1, maxLength: 12 }), (input, secret) => {
        expect(timingSafeEqual(input, secret)).toBe(input === secret)
        expect(timingSafeEqual(secret, secret)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
