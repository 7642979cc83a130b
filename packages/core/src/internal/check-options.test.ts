import { describe, expect, it } from 'vitest'
import { checkOptions, nearest, unknownOptions } from './check-options.js'

describe('checkOptions', () => {
  const known = ['keys', 'verify', 'jwksUri', 'timeoutDuration', 'maxTtl', 'max']

  it('names the nearest known option by edit distance, case-insensitively', () => {
    expect(nearest('key', known)).toBe('keys')
    expect(nearest('verfy', known)).toBe('verify')
    expect(nearest('jwksUrl', known)).toBe('jwksUri')
    expect(nearest('JWKSURI', known)).toBe('jwksUri')
  })

  it('a name contained in a known one (or containing it) counts as close', () => {
    expect(nearest('timeout', known)).toBe('timeoutDuration')
    expect(nearest('ttl', known)).toBe('maxTtl')
  })

  it('known names pass; every unknown one is listed in one config error', () => {
    expect(() => checkOptions('f', { keys: 1, verify: 2 }, known)).not.toThrow()
    expect(() => checkOptions('f', { key: 1, verfy: 2 }, known)).toThrow(
      expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('f: unknown options "key" (did you mean "keys"?), "verfy" (did you mean "verify"?)') }),
    )
  })

  it('an unknown option set to undefined is still a typo', () => {
    expect(unknownOptions({ verfy: undefined }, known)).toContain('"verfy"')
  })

  it('only own enumerable keys count (inherited and non-enumerable ones are not options)', () => {
    const options = Object.create({ inherited: 1 }) as Record<string, unknown>
    Object.defineProperty(options, 'hidden', { value: 1, enumerable: false })
    options.keys = 1
    expect(unknownOptions(options, known)).toBeUndefined()
  })
})
