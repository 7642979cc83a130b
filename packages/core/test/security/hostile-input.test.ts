import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { isAuthspecError } from '../../src/errors.js'
import { fromOpenAPI } from '../../src/openapi/from-openapi.js'
import { PathMatcher } from '../../src/openapi/paths.js'
import { apiKey } from '../../src/schemes/api-key.js'
import { httpBearer } from '../../src/schemes/http-bearer.js'
import { oauth2 } from '../../src/schemes/oauth2.js'

const request = (url: string, headers: Record<string, string> = {}): Request => new Request(url, { headers })

function documentWith(paths: Record<string, unknown>): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths,
    components: { securitySchemes: { Key: { type: 'apiKey', in: 'header', name: 'X-Key' } } },
  }
}

describe('path templates with several parameters in one segment', () => {
  it('a hostile segment against {a}-{b}-{c}.json is matched in linear time (no regular-expression backtracking)', () => {
    const auth = fromOpenAPI(documentWith({ '/reports/{year}-{month}-{day}.json': { get: { security: [{ Key: [] }] } } }), {
      verifiers: { Key: { verify: () => null } },
    })
    const hostile = `/reports/${'-'.repeat(16_000)}`
    const started = performance.now()
    expect(auth.requirementFor('GET', hostile)).toBeUndefined()
    // The backtracking regular expression took ~80 s here; the linear scan takes well under 1 ms.
    expect(performance.now() - started).toBeLessThan(250)
    expect(auth.requirementFor('GET', '/reports/2024-01-31.json')).toEqual([{ Key: [] }])
  })

  it('agrees with the template grammar on random segments (each parameter non-empty, literals in order)', () => {
    const piece = fc.constantFrom('', '-', '.', 'a', 'ab', '.json', '--')
    fc.assert(
      fc.property(fc.array(piece, { minLength: 2, maxLength: 4 }), fc.stringMatching(/^[-.abjson]{0,12}$/), (literals, segment) => {
        const template = `/f/${literals.join('{p}')}`
        const matcher = new PathMatcher<string>()
        matcher.add('get', template, 'hit')
        const source = literals.map((text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.+?)')
        // Dot segments are never matched (fail closed), whatever the template.
        const expected = new RegExp(`^${source}$`, 's').test(segment) && segment !== '.' && segment !== '..'
        expect(matcher.lookup('get', `/f/${segment}`) === 'hit').toBe(expected)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('requirementFor with a request path that starts with //', () => {
  it('//admin/x is not read as host "admin" + /x (which would give /x\'s public security): no operation', () => {
    const auth = fromOpenAPI(
      documentWith({ '/x': { get: { security: [] } }, '/admin/x': { get: { security: [{ Key: [] }] } } }),
      { verifiers: { Key: { verify: () => null } } },
    )
    expect(auth.requirementFor('GET', '/x')).toEqual([])
    expect(auth.requirementFor('GET', '//admin/x')).toBeUndefined()
    // Absolute URLs and templates still work.
    expect(auth.requirementFor('GET', 'https://api.example.com/admin/x')).toEqual([{ Key: [] }])
    expect(auth.requirementFor('GET', 'https://api.example.com//admin/x')).toBeUndefined()
  })
})

describe('a scheme named __proto__', () => {
  it('is an own key of result.principals; its principal\'s fields do not leak as other schemes\' principals', async () => {
    const map = Object.fromEntries([
      ['__proto__', apiKey({ in: 'header', name: 'X-Key', verify: (key) => (key === 'user' ? { Admin: { id: 'forged' } } : null) })],
      ['Admin', apiKey({ in: 'header', name: 'X-Admin', verify: (key) => (key === 'admin' ? { id: 'admin' } : null) })],
    ])
    const auth = createAuth({ schemes: map })
    const requirement = JSON.parse('[{"__proto__": []}, {"Admin": []}]') as never
    const result = await auth.authenticate(request('http://x/', { 'x-key': 'user' }), requirement)
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(Object.getPrototypeOf(result.principals)).toBe(Object.prototype)
    expect(Object.keys(result.principals)).toEqual(['__proto__'])
    expect((result.principals as Record<string, unknown>).Admin).toBeUndefined()
    expect(Object.getOwnPropertyDescriptor(result.principals, '__proto__')?.value).toEqual({ Admin: { id: 'forged' } })
  })
})

describe('challenge values a header cannot carry', () => {
  const expectConfigError = (make: () => unknown): void => {
    let error: unknown
    try {
      make()
    } catch (caught) {
      error = caught
    }
    expect(isAuthspecError(error) && error.code === 'ERR_AUTHSPEC_CONFIG').toBe(true)
  }

  it('a realm above U+00FF is refused when the requirement is prepared, not answered 500 on every failure', () => {
    expectConfigError(() => createAuth({ realm: 'pets ✓', schemes: { T: httpBearer({ verify: () => null }) }, security: [{ T: [] }] }))
  })

  it('a query apiKey name above U+00FF is refused at prepare time', () => {
    const auth = createAuth({ schemes: { Q: apiKey({ in: 'query', name: '键', verify: () => null }) } })
    expectConfigError(() => auth.prepare([{ Q: [] }]))
  })

  it('a scope above U+00FF (it would appear in the 403 challenge) is refused at prepare time', () => {
    const auth = createAuth({ schemes: { T: httpBearer({ verify: () => ({}), scopes: () => [] }) } })
    expectConfigError(() => auth.prepare([{ T: ['写'] }]))
    const flows = { clientCredentials: { tokenUrl: '/t', scopes: { '写': 'write' } } }
    const o = createAuth({ schemes: { O: oauth2({ flows, verify: () => ({}) }) } })
    expectConfigError(() => o.prepare([{ O: ['写'] }]))
  })

  it('Latin-1 text (é) stays allowed and the failure response builds', async () => {
    const auth = createAuth({ realm: 'pétanque', schemes: { T: httpBearer({ verify: () => ({}), scopes: () => [] }) } })
    const result = await auth.authenticate(request('http://x/', { authorization: 'Bearer t' }), [{ T: ['café'] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(403)
    expect(result.response.status).toBe(403)
  })
})

describe('fromOpenAPI with a hostile $ref', () => {
  it('a path item $ref with bad percent-encoding is one config error (unresolved $ref), not a URIError', () => {
    let error: unknown
    try {
      fromOpenAPI(documentWith({ '/a': { $ref: '#/x%ZZ' } }), { verifiers: { Key: { verify: () => null } } })
    } catch (caught) {
      error = caught
    }
    expect(isAuthspecError(error) && error.code === 'ERR_AUTHSPEC_CONFIG').toBe(true)
    expect((error as Error).message).toContain('unresolved $ref')
  })
})

describe('fromOpenAPI with malformed security arrays', () => {
  it.each([
    ['document security [null]', { security: [null] }],
    ['document security [{ Key: 5 }]', { security: [{ Key: 5 }] }],
    ['operation security [null]', { paths: { '/a': { get: { security: [null] } } } }],
    ['operation security [{ Key: null }]', { paths: { '/a': { get: { security: [{ Key: null }] } } } }],
  ])('%s is one config error, not a TypeError', (_label, patch) => {
    let error: unknown
    try {
      fromOpenAPI({ ...documentWith({}), ...patch }, { verifiers: { Key: { verify: () => null } } })
    } catch (caught) {
      error = caught
    }
    expect(isAuthspecError(error) && error.code === 'ERR_AUTHSPEC_CONFIG').toBe(true)
  })
})
