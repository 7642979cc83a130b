import { describe, expect, it } from 'vitest'
import { findQueryParam } from './query.js'

describe('findQueryParam', () => {
  it('finds a parameter among others', () => {
    expect(findQueryParam('a=1&api_key=abc&b=2', 'api_key')).toEqual({ state: 'found', value: 'abc' })
  })

  it('no query, an empty query or another parameter → absent', () => {
    expect(findQueryParam(undefined, 'k')).toEqual({ state: 'absent' })
    expect(findQueryParam('', 'k')).toEqual({ state: 'absent' })
    expect(findQueryParam('x=1', 'k')).toEqual({ state: 'absent' })
  })

  it('decodes values with form-urlencoded rules: "+" is a space, %XX decoded', () => {
    expect(findQueryParam('k=a+b%2Bc%C2%A3', 'k')).toEqual({ state: 'found', value: 'a b+c£' })
  })

  it('decodes encoded names', () => {
    expect(findQueryParam('api%5Fkey=abc', 'api_key')).toEqual({ state: 'found', value: 'abc' })
  })

  it('a name without "=" has an empty value', () => {
    expect(findQueryParam('k&x=1', 'k')).toEqual({ state: 'found', value: '' })
  })

  it('repeated with the same value is fine; with different values it is ambiguous', () => {
    expect(findQueryParam('k=a&k=a', 'k')).toEqual({ state: 'found', value: 'a' })
    expect(findQueryParam('k=a&k=b', 'k')).toEqual({ state: 'ambiguous' })
    expect(findQueryParam('k=a+b&k=a%20b', 'k')).toEqual({ state: 'found', value: 'a b' })
  })

  it('an undecodable value is reported, never silently used', () => {
    expect(findQueryParam('k=%E0%A4%A', 'k')).toEqual({ state: 'undecodable' })
    expect(findQueryParam('k=%C3', 'k')).toEqual({ state: 'undecodable' })
  })

  it('an undecodable name of another parameter is ignored', () => {
    expect(findQueryParam('%zz=1&k=v', 'k')).toEqual({ state: 'found', value: 'v' })
  })

  it('stays fast on a long query of separators (linear parsing)', () => {
    const query = `${'&'.repeat(200_000)}k=v`
    const start = performance.now()
    expect(findQueryParam(query, 'k')).toEqual({ state: 'found', value: 'v' })
    expect(performance.now() - start).toBeLessThan(500)
  })
})
