import { describe, expect, it } from 'vitest'
import { isPreparedRequirement, prepareRequirement } from './requirement.js'
import { apiKey } from './schemes/api-key.js'
import { httpBasic } from './schemes/http-basic.js'
import { httpBearer } from './schemes/http-bearer.js'

const schemes = {
  K: apiKey({ in: 'header', name: 'X-Key', keys: { a: 'b' } }),
  C: apiKey({ in: 'cookie', name: 'sid', keys: { a: 'b' }, realm: 'web' }),
  B: httpBasic({ users: { a: 'b' } }),
  T: httpBearer({ verify: () => ({}), scopes: () => [] }),
}

describe('prepareRequirement', () => {
  it('resolves names in first-appearance order and shares an index per scheme', () => {
    const prepared = prepareRequirement([{ T: ['x'], K: [] }, { K: [], B: [] }], schemes, 'api')
    expect(prepared.names).toEqual(['T', 'K', 'B'])
    expect(prepared.alternatives.map((group) => group.map((e) => [e.name, e.index]))).toEqual([[['T', 0], ['K', 1]], [['K', 1], ['B', 2]]])
    expect(prepared.alternatives[0]![0]!.scopes).toEqual(['x'])
  })

  it('Vary headers are deduplicated across schemes', () => {
    expect(prepareRequirement([{ T: [] }, { B: [], K: [] }, { C: [] }], schemes, 'api').vary).toEqual(['Authorization', 'X-Key', 'Cookie'])
  })

  it('pre-built challenges carry no error and use the scheme realm or the given one', () => {
    expect(prepareRequirement([{ K: [] }, { C: [] }], schemes, 'shop').challenges).toEqual([
      'APIKey realm="shop", in="header", name="X-Key"',
      'APIKey realm="web", in="cookie", name="sid"',
    ])
  })

  it('[] is public, [{}] is not', () => {
    expect(prepareRequirement([], schemes, 'api').isPublic).toBe(true)
    expect(prepareRequirement([{}], schemes, 'api').isPublic).toBe(false)
  })

  it('copies and freezes scopes, so later mutation of the input does not change evaluation', () => {
    const scopes = ['x']
    const prepared = prepareRequirement([{ T: scopes }], schemes, 'api')
    scopes.push('y')
    expect(prepared.alternatives[0]![0]!.scopes).toEqual(['x'])
    expect(Object.isFrozen(prepared.alternatives[0]![0]!.scopes)).toBe(true)
  })

  it('isPreparedRequirement recognises only prepared values', () => {
    const prepared = prepareRequirement([{ K: [] }], schemes, 'api')
    expect(isPreparedRequirement(prepared)).toBe(true)
    expect(isPreparedRequirement({ ...prepared })).toBe(false)
    expect(isPreparedRequirement([{ K: [] }])).toBe(false)
    expect(isPreparedRequirement(null)).toBe(false)
  })

  it('a non-array → ERR_AUTHSPEC_CONFIG', () => {
    expect(() => prepareRequirement({ K: [] } as never, schemes, 'api')).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
