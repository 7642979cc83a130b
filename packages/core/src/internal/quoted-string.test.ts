import { describe, expect, it } from 'vitest'
import { challenge, quote } from './quoted-string.js'

describe('quote', () => {
  it('wraps in double quotes', () => {
    expect(quote('api')).toBe('"api"')
  })

  it('escapes quotes and backslashes', () => {
    expect(quote('a"b\\c')).toBe('"a\\"b\\\\c"')
  })

  it('drops CR, LF, NUL, tab and DEL so no value can split or end the header', () => {
    expect(quote('a\r\nSet-Cookie: x=1')).toBe('"aSet-Cookie: x=1"')
    expect(quote('\u0000a\tb\u007f')).toBe('"ab"')
  })

  it('keeps non-ASCII characters', () => {
    expect(quote('café')).toBe('"café"')
  })
})

describe('challenge', () => {
  it('joins parameters with ", " and skips undefined ones', () => {
    expect(challenge('Bearer', [['realm', 'api'], ['error', undefined], ['scope', 'a b']])).toBe('Bearer realm="api", scope="a b"')
  })

  it('a challenge without parameters is the scheme name alone', () => {
    expect(challenge('Bearer', [])).toBe('Bearer')
  })
})
