import { describe, expect, it } from 'vitest'
import { findCookie } from './cookies.js'

describe('findCookie', () => {
  it('finds a cookie among others', () => {
    expect(findCookie('a=1; session=abc; b=2', 'session')).toEqual({ state: 'found', value: 'abc' })
  })

  it('no header, empty header or another cookie → absent', () => {
    expect(findCookie(null, 'session')).toEqual({ state: 'absent' })
    expect(findCookie('', 'session')).toEqual({ state: 'absent' })
    expect(findCookie('other=1', 'session')).toEqual({ state: 'absent' })
  })

  it('names are case-sensitive', () => {
    expect(findCookie('Session=abc', 'session')).toEqual({ state: 'absent' })
    expect(findCookie('Session=abc; session=def', 'session')).toEqual({ state: 'found', value: 'def' })
  })

  it('a name that only contains the wanted name does not match', () => {
    expect(findCookie('mysession=abc; session_x=1', 'session')).toEqual({ state: 'absent' })
  })

  it('double-quoted values are unquoted', () => {
    expect(findCookie('session="abc"', 'session')).toEqual({ state: 'found', value: 'abc' })
  })

  it('a lone quote is kept as it is', () => {
    expect(findCookie('session="abc', 'session')).toEqual({ state: 'found', value: '"abc' })
  })

  it('valid percent-encoding is decoded, invalid is kept verbatim', () => {
    expect(findCookie('session=a%20b', 'session')).toEqual({ state: 'found', value: 'a b' })
    expect(findCookie('session=a%zz', 'session')).toEqual({ state: 'found', value: 'a%zz' })
  })

  it('the same cookie twice with the same value is fine', () => {
    expect(findCookie('session=abc; session=abc', 'session')).toEqual({ state: 'found', value: 'abc' })
  })

  it('the same cookie twice with different values is ambiguous', () => {
    expect(findCookie('session=abc; session=def', 'session')).toEqual({ state: 'ambiguous' })
  })

  it('Cookie fields joined by ", " are understood like "; "', () => {
    expect(findCookie('a=1, session=abc', 'session')).toEqual({ state: 'found', value: 'abc' })
    expect(findCookie('session=abc, session=def', 'session')).toEqual({ state: 'ambiguous' })
  })

  it('whitespace around names and values is ignored, pairs without "=" are skipped', () => {
    expect(findCookie('  session = abc ;flag; x=1', 'session')).toEqual({ state: 'found', value: 'abc' })
  })

  it('an "=" inside the value is part of the value', () => {
    expect(findCookie('session=a=b==', 'session')).toEqual({ state: 'found', value: 'a=b==' })
  })

  it('stays fast on a long header of separators (linear parsing)', () => {
    const header = `${';'.repeat(200_000)}session=abc`
    const start = performance.now()
    expect(findCookie(header, 'session')).toEqual({ state: 'found', value: 'abc' })
    expect(performance.now() - start).toBeLessThan(500)
  })
})
