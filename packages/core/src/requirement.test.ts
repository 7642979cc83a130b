import { describe, expect, it } from 'vitest'
import { isPreparedRequirement, prepareRequirement } from './requirement.js'
import { apiKey } from './schemes/api-key.js'
import { httpBasic } from './schemes/http-basic.js'
import { httpBearer } from './schemes/http-bearer.js'
import { jwtBearer } from './schemes/jwt-bearer.js'
import { createAuth } from './create-auth.js'

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

describe('requirement objects must be plain objects of own enumerable scheme names with arrays of non-empty strings', () => {
  const auth = createAuth({ schemes })
  const refused = (requirement: unknown): string => {
    try {
      auth.prepare(requirement as never)
    } catch (error) {
      expect(error).toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
      return (error as Error).message
    }
    throw new Error('expected ERR_AUTHSPEC_CONFIG')
  }

  it('a Map is a config error, not anonymous access', async () => {
    expect(refused([new Map([['K', []]])])).toMatch(/requirement #0 is not a plain object/)
    await expect(auth.authenticate(new Request('http://localhost/'), [new Map([['K', []]])] as never)).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })

  it('inherited keys are a config error (an object whose prototype carries the schemes)', () => {
    expect(refused([Object.create({ K: [] }) as object])).toMatch(/not a plain object/)
  })

  it('non-enumerable and symbol keys are a config error', () => {
    const hidden = {}
    Object.defineProperty(hidden, 'K', { value: [], enumerable: false })
    expect(refused([hidden])).toMatch(/non-enumerable/)
    expect(refused([{ [Symbol('K')]: [] }])).toMatch(/symbol/)
  })

  it('class instances, arrays, Dates and boxed values are config errors; null-prototype objects are fine', () => {
    class Req {
      K = []
    }
    expect(refused([new Req()])).toMatch(/not a plain object/)
    expect(refused([[['K', []]]])).toMatch(/not a plain object/)
    expect(refused([new Date()])).toMatch(/not a plain object/)
    const bare = Object.assign(Object.create(null) as object, { K: [] })
    expect(() => auth.prepare([bare])).not.toThrow()
  })

  it('scopes must be an array of non-empty strings', () => {
    expect(refused([{ T: [''] }])).toMatch(/non-empty strings/)
    expect(refused([{ T: 'read' }])).toMatch(/non-empty strings/)
    expect(refused([{ T: { 0: 'read', length: 1 } }])).toMatch(/non-empty strings/)
  })
})

describe('an alternative that can never pass is a config error naming it', () => {
  const jwt = jwtBearer({ algorithms: ['HS256'], secret: 'a-secret-of-at-least-thirty-two-bytes!', issuer: 'i', audience: 'a' })
  const auth = createAuth({ schemes: { ...schemes, J: jwt, Tq: httpBearer({ verify: () => ({}), allowQuery: true }) } })

  it('Basic AND Bearer (one Authorization header, two auth-schemes) is refused, naming the alternative', () => {
    expect(() => auth.prepare([{ K: [] }, { B: [], T: [] }])).toThrow(
      expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringMatching(/requirement #1 \{"B":\[\],"T":\[\]\} can never pass/) }),
    )
    expect(() => auth.prepare([{ J: [], B: [] }])).toThrow(/can never pass/)
  })

  it('two bearer schemes checking the same token stay valid', () => {
    expect(() => auth.prepare([{ T: [], J: [] }])).not.toThrow()
  })

  it('a bearer scheme that may also read ?access_token= can be ANDed with Basic', () => {
    expect(() => auth.prepare([{ B: [], Tq: [] }])).not.toThrow()
  })
})
