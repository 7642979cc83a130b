import { describe, expect, it } from 'vitest'
import { allOf } from './all-of.js'

describe('allOf (AND of requirements)', () => {
  it('combines every alternative of one with every alternative of the other, uniting scopes', () => {
    expect(allOf([{ ApiKey: [] }], [{ Jwt: ['a'] }, { Basic: [] }])).toEqual([
      { ApiKey: [], Jwt: ['a'] },
      { ApiKey: [], Basic: [] },
    ])
    expect(allOf([{ Jwt: ['a'] }], [{ Jwt: ['b', 'a'] }])).toEqual([{ Jwt: ['a', 'b'] }])
  })

  it('public [] is neutral and an equal requirement is not multiplied', () => {
    expect(allOf([], [{ Jwt: [] }], [])).toEqual([{ Jwt: [] }])
    expect(allOf([{ A: [] }, { B: [] }], [{ A: [] }, { B: [] }])).toEqual([{ A: [] }, { B: [] }])
    expect(allOf()).toEqual([])
  })

  it('{} (anonymous) ANDed with a scheme is that scheme; a __proto__ scheme name stays an own key', () => {
    expect(allOf([{}], [{ Jwt: [] }])).toEqual([{ Jwt: [] }])
    const [merged] = allOf([JSON.parse('{"__proto__": ["x"]}')], [{ Jwt: [] }])
    expect(Object.keys(merged!)).toEqual(['__proto__', 'Jwt'])
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype)
  })

  it('returns fresh arrays: changing the output never changes the input', () => {
    const input = [{ Jwt: ['a'] }]
    const out = allOf(input)
    out[0]!.Jwt!.push('b')
    expect(input).toEqual([{ Jwt: ['a'] }])
  })
})
