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

  it('freezes the input and keeps frozen scopes, so the input cannot drift from what is evaluated', () => {
    const scopes = ['x']
    const prepared = prepareRequirement([{ T: scopes }], schemes, 'api')
    expect(() => scopes.push('y')).toThrow(TypeError)
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

describe('prepared requirements cannot drift', () => {
  it('a requirement is frozen when prepared: pushing a scope later throws instead of being silently ignored', async () => {
    const { createAuth } = await import('./create-auth.js')
    const { httpBearer } = await import('./schemes/http-bearer.js')
    const auth = createAuth({ schemes: { T: httpBearer({ verify: (t) => ({ t }), scopes: () => ['read'] }) } })
    const requirement: Array<Record<string, string[]>> = [{ T: [] }]
    const request = new Request('http://x/', { headers: { authorization: 'Bearer abc' } })
    expect((await auth.authenticate(request, requirement)).ok).toBe(true)
    expect(Object.isFrozen(requirement) && Object.isFrozen(requirement[0]) && Object.isFrozen(requirement[0]!.T)).toBe(true)
    expect(() => requirement[0]!.T!.push('admin')).toThrow(TypeError)
    expect(() => requirement.push({})).toThrow(TypeError)
    // What is enforced and documented is still what was checked.
    expect(auth.operation(requirement).security).toEqual([{ T: [] }])
  })
})
