import { describe, expect, it } from 'vitest'
import { findAuthorization, isB64token, isToken } from './authorization-header.js'

describe('findAuthorization', () => {
  it('no header → absent', () => {
    expect(findAuthorization(null, 'Bearer')).toEqual({ state: 'absent' })
  })

  it('the scheme name is case-insensitive (lowercase and mixed case)', () => {
    expect(findAuthorization('bearer abc', 'Bearer')).toEqual({ state: 'present', value: 'abc' })
    expect(findAuthorization('BeArEr abc', 'Bearer')).toEqual({ state: 'present', value: 'abc' })
    expect(findAuthorization('BASIC abc', 'Basic')).toEqual({ state: 'present', value: 'abc' })
  })

  it('several spaces after the scheme are allowed (1*SP) and skipped', () => {
    expect(findAuthorization('Bearer   abc', 'Bearer')).toEqual({ state: 'present', value: 'abc' })
  })

  it('a header for another auth-scheme is absent for this one', () => {
    expect(findAuthorization('Basic QQ==', 'Bearer')).toEqual({ state: 'absent' })
    expect(findAuthorization('Digest username="a", realm="b"', 'Bearer')).toEqual({ state: 'absent' })
  })

  it('a longer scheme name that starts with this one is another scheme', () => {
    expect(findAuthorization('Bearerx abc', 'Bearer')).toEqual({ state: 'absent' })
    expect(findAuthorization('Bear abc', 'Bearer')).toEqual({ state: 'absent' })
  })

  it('the scheme name alone, or followed only by spaces, is malformed', () => {
    expect(findAuthorization('Bearer', 'Bearer').state).toBe('malformed')
    expect(findAuthorization('Bearer ', 'Bearer').state).toBe('malformed')
    expect(findAuthorization('Bearer    ', 'Bearer').state).toBe('malformed')
  })

  it('a tab (or any non-space separator) after the scheme name is malformed', () => {
    expect(findAuthorization('Bearer\tabc', 'Bearer').state).toBe('malformed')
    expect(findAuthorization('Bearer"abc', 'Bearer').state).toBe('malformed')
  })

  it('two Authorization fields joined by ", " with this scheme second are malformed, not absent', () => {
    expect(findAuthorization('Basic QQ==, Bearer abc', 'Bearer')).toMatchObject({ state: 'malformed' })
    expect(findAuthorization('Basic QQ==,bearer abc', 'Bearer')).toMatchObject({ state: 'malformed' })
  })

  it('a comma followed by another scheme name that merely starts like this one stays absent', () => {
    expect(findAuthorization('Digest a="1", Bearerish="x"', 'Bearer')).toEqual({ state: 'absent' })
  })

  it('the credentials are returned untouched for the caller to check', () => {
    expect(findAuthorization('Bearer a b', 'Bearer')).toEqual({ state: 'present', value: 'a b' })
  })

  it('the detail never contains the credential', () => {
    const found = findAuthorization('Bearer\tsecret-token', 'Bearer')
    expect(found.state === 'malformed' && found.detail).not.toContain('secret-token')
  })
})

describe('isB64token', () => {
  it('accepts the RFC 6750 alphabet with trailing "=" padding', () => {
    expect(isB64token('abcXYZ019-._~+/')).toBe(true)
    expect(isB64token('abc==')).toBe(true)
  })

  it('rejects empty, only padding, inner padding, spaces, commas and quotes', () => {
    for (const bad of ['', '=', '==', 'a=b', 'a b', 'a,b', 'a"b', 'a\tb', 'é']) expect(isB64token(bad), bad).toBe(false)
  })
})

describe('isToken', () => {
  it('accepts RFC 9110 tokens such as header names', () => {
    expect(isToken('X-API-Key')).toBe(true)
    expect(isToken("!#$%&'*+-.^_`|~09azAZ")).toBe(true)
  })

  it('rejects empty strings, spaces, separators and non-ASCII', () => {
    for (const bad of ['', 'X API', 'a:b', 'a(b)', 'a/b', 'ü', 'a\r\nb', 'a"b']) expect(isToken(bad), bad).toBe(false)
  })
})
