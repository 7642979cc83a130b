import { describe, expect, it, vi } from 'vitest'
import { apiKey, createAuth, httpBasic, httpBearer, AuthspecError, isAuthspecError } from './index.js'
import { basic, request } from '../test/support/requests.js'

const schemes = {
  ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: 'demo-key-123' } }),
  BasicAuth: httpBasic({ realm: 'pets', users: { Aladdin: 'open sesame' } }),
  Opaque: httpBearer({ verify: (token) => (token === 'tok' ? { sub: 'u1', scopes: ['pets:read'] } : null), scopes: (p) => p.scopes }),
}
const auth = createAuth({ schemes })
const config = expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' })

describe('createAuth: end to end', () => {
  it('valid API key → success with its principal', async () => {
    const result = await auth.authenticate(request({ 'x-api-key': 'demo-key-123' }), [{ ApiKeyAuth: [] }])
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.principals.ApiKeyAuth).toEqual({ id: 'demo' })
  })

  it('missing credentials → 401 with a challenge per scheme and no error code', async () => {
    const result = await auth.authenticate(request(), [{ ApiKeyAuth: [] }, { BasicAuth: [] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(401)
    expect(result.code).toBe('credentials_missing')
    const response = result.response
    expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ status: 401, code: 'credentials_missing' })
  })

  it('OR route: either the key or Basic passes, alternative tells which', async () => {
    const requirement = [{ ApiKeyAuth: [] }, { BasicAuth: [] }] as const
    expect(await auth.authenticate(request({ 'x-api-key': 'demo-key-123' }), requirement)).toMatchObject({ ok: true, alternative: 0 })
    expect(await auth.authenticate(request({ authorization: basic('Aladdin:open sesame') }), requirement)).toMatchObject({ ok: true, alternative: 1 })
  })

  it('AND route: the key and Basic are both needed', async () => {
    const requirement = [{ ApiKeyAuth: [], BasicAuth: [] }] as const
    const both = await auth.authenticate(request({ 'x-api-key': 'demo-key-123', authorization: basic('Aladdin:open sesame') }), requirement)
    expect(both).toMatchObject({ ok: true, principals: { ApiKeyAuth: { id: 'demo' }, BasicAuth: { username: 'Aladdin' } } })
    expect(await auth.authenticate(request({ 'x-api-key': 'demo-key-123' }), requirement)).toMatchObject({ ok: false, status: 401, code: 'credentials_missing' })
  })

  it('bearer with missing scope → 403 insufficient_scope with scope=', async () => {
    const result = await auth.authenticate(request({ authorization: 'Bearer tok' }), [{ Opaque: ['pets:write'] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(403)
    expect(result.challenges).toEqual(['Bearer realm="api", error="insufficient_scope", scope="pets:write"'])
  })

  it('AND stops at the first failure: a rejected Basic means the next scheme is never verified', async () => {
    const keyVerify = vi.fn(() => ({ k: 1 }))
    const a = createAuth({ schemes: { B: httpBasic({ users: { u: 'p' } }), K: apiKey({ in: 'header', name: 'X-Key', verify: keyVerify }) } })
    const result = await a.authenticate(request({ authorization: basic('u:wrong'), 'x-key': 'k' }), [{ B: [], K: [] }])
    expect(result).toMatchObject({ ok: false, status: 401, code: 'invalid_token', scheme: 'B' })
    expect(keyVerify).not.toHaveBeenCalled()
  })

  it('a missing Basic means the key of the same group is never verified', async () => {
    const keyVerify = vi.fn(() => ({ k: 1 }))
    const a = createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify: keyVerify }), B: httpBasic({ users: { u: 'p' } }) } })
    expect(await a.authenticate(request({ 'x-key': 'k' }), [{ K: [], B: [] }])).toMatchObject({ ok: false, code: 'credentials_missing' })
    expect(keyVerify).not.toHaveBeenCalled()
  })

  it('prepare() without an argument returns the default security, or throws without one', () => {
    const withDefault = createAuth({ schemes, security: [{ ApiKeyAuth: [] }] })
    expect(withDefault.prepare().requirement).toEqual([{ ApiKeyAuth: [] }])
    expect(() => auth.prepare()).toThrow(config)
  })

  it('the default security is used when authenticate gets no requirement', async () => {
    const withDefault = createAuth({ schemes, security: [{ ApiKeyAuth: [] }] })
    expect((await withDefault.authenticate(request({ 'x-api-key': 'demo-key-123' }))).ok).toBe(true)
    expect((await withDefault.authenticate(request())).ok).toBe(false)
  })

  it('a per-call requirement overrides the default security ([] makes it public)', async () => {
    const withDefault = createAuth({ schemes, security: [{ ApiKeyAuth: [] }] })
    expect((await withDefault.authenticate(request(), [])).ok).toBe(true)
  })

  it('exposes schemes, realm and security', () => {
    const a = createAuth({ schemes, realm: 'shop', security: [{ Opaque: [] }] })
    expect(a.schemes).toBe(schemes)
    expect(a.realm).toBe('shop')
    expect(a.security).toEqual([{ Opaque: [] }])
    expect(auth.realm).toBe('api')
    expect(auth.security).toBeUndefined()
  })

  it('prepare returns a reusable requirement that authenticate accepts, and caches by array', async () => {
    const requirement = [{ ApiKeyAuth: [] }]
    const prepared = auth.prepare(requirement)
    expect(auth.prepare(requirement)).toBe(prepared)
    expect(prepared.requirement).toBe(requirement)
    expect((await auth.authenticate(request({ 'x-api-key': 'demo-key-123' }), prepared)).ok).toBe(true)
  })

  it('warmup calls every scheme warmup that exists', async () => {
    const warmup = vi.fn(async () => undefined)
    const a = createAuth({ schemes: { ...schemes, W: { ...schemes.Opaque, warmup } } })
    await a.warmup()
    expect(warmup).toHaveBeenCalledTimes(1)
  })

  it('no crypto.subtle call on an OR of API key and Basic', async () => {
    const spies = (['digest', 'sign', 'verify', 'importKey'] as const).map((m) => vi.spyOn(crypto.subtle, m))
    try {
      await auth.authenticate(request({ 'x-api-key': 'x', authorization: basic('Aladdin:open sesame') }), [{ ApiKeyAuth: [] }, { BasicAuth: [] }])
      for (const spy of spies) expect(spy).not.toHaveBeenCalled()
    } finally {
      for (const spy of spies) spy.mockRestore()
    }
  })
})

describe('createAuth: verify callback bugs reject with ERR_AUTHSPEC_VERIFY', () => {
  it('verify throwing → rejects with the cause and the scheme name', async () => {
    const cause = new Error('db down')
    const a = createAuth({ schemes: { T: httpBearer({ verify: () => { throw cause } }) } })
    const error = await a.authenticate(request({ authorization: 'Bearer x' }), [{ T: [] }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthspecError)
    expect(error).toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'T', cause, status: 500 })
  })

  it('async verify rejecting → rejects with the cause', async () => {
    const cause = new Error('timeout')
    const a = createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify: async () => Promise.reject(cause) }) } })
    await expect(a.authenticate(request({ 'x-key': 'x' }), [{ K: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', cause })
  })

  it.each([true, 1, 'x'])('verify returning %s → ERR_AUTHSPEC_VERIFY, never a grant', async (value) => {
    const a = createAuth({ schemes: { B: httpBasic({ verify: () => value as never }) } })
    await expect(a.authenticate(request({ authorization: basic('a:b') }), [{ B: [] }])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY', scheme: 'B' })
  })

  it('async verify resolving to a principal grants', async () => {
    const a = createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-Key', verify: async (k) => (k === 'ok' ? { k } : null) }) } })
    expect(await a.authenticate(request({ 'x-key': 'ok' }), [{ K: [] }])).toMatchObject({ ok: true, principals: { K: { k: 'ok' } } })
    expect((await a.authenticate(request({ 'x-key': 'no' }), [{ K: [] }])).ok).toBe(false)
  })

  it('a verify error is recognised by isAuthspecError', async () => {
    const a = createAuth({ schemes: { T: httpBearer({ verify: () => { throw new Error('x') } }) } })
    expect(isAuthspecError(await a.authenticate(request({ authorization: 'Bearer x' }), [{ T: [] }]).catch((e: unknown) => e))).toBe(true)
  })
})

describe('createAuth: configuration errors (ERR_AUTHSPEC_CONFIG)', () => {
  it('unknown scheme in a requirement → throws at prepare, rejects at authenticate', async () => {
    expect(() => auth.prepare([{ Nope: [] } as never])).toThrow(AuthspecError)
    expect(() => auth.prepare([{ Nope: [] } as never])).toThrow(config)
    await expect(auth.authenticate(request(), [{ Nope: [] } as never])).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })

  it('unknown scheme in the default security → throws at createAuth', () => {
    expect(() => createAuth({ schemes, security: [{ Missing: [] } as never] })).toThrow(config)
  })

  it('a requirement inherited from Object.prototype is unknown, not a scheme', () => {
    expect(() => auth.prepare([{ toString: [] } as never])).toThrow(config)
  })

  it('scopes asked of a scheme without a scopes option → config error', () => {
    expect(() => auth.prepare([{ ApiKeyAuth: ['admin'] }])).toThrow(config)
    expect(() => auth.prepare([{ BasicAuth: ['admin'] }])).toThrow(config)
  })

  it('every problem of a requirement is listed in one error', () => {
    try {
      auth.prepare([{ Nope: [] }, { ApiKeyAuth: ['x'] }, { Other: [] }] as never)
      expect.unreachable()
    } catch (error) {
      expect((error as Error).message).toMatch(/"Nope"[\s\S]*ApiKeyAuth[\s\S]*"Other"/)
    }
  })

  it.each([
    ['a bare object instead of an array', { ApiKeyAuth: [] }],
    ['a string', 'ApiKeyAuth'],
    ['null', null],
  ])('a requirement that is %s → config error', async (_label, requirement) => {
    await expect(auth.authenticate(request(), requirement as never)).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })

  it.each([
    ['a requirement object that is null', [null]],
    ['a requirement object that is an array', [['ApiKeyAuth']]],
    ['scopes that are not an array', [{ Opaque: 'pets:read' }]],
    ['scopes that are not strings', [{ Opaque: [1] }]],
  ])('%s → config error', (_label, requirement) => {
    expect(() => auth.prepare(requirement as never)).toThrow(config)
  })

  it('authenticate without a requirement and without default security → rejects', async () => {
    await expect(auth.authenticate(request())).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
  })

  it.each([
    ['no options', undefined],
    ['an empty schemes map', { schemes: {} }],
    ['schemes that is not an object', { schemes: 'ApiKeyAuth' }],
    ['a scheme not made by a factory', { schemes: { X: { type: 'apiKey' } } }],
    ['a realm that is not a string', { schemes, realm: 42 }],
    ['renderError that is not a function', { schemes, renderError: 'oops' }],
  ])('createAuth with %s → config error', (_label, options) => {
    expect(() => createAuth(options as never)).toThrow(config)
  })

  it('config errors are AuthspecError with status 500 and a message', () => {
    try {
      createAuth({ schemes: {} })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(AuthspecError)
      expect((error as AuthspecError).status).toBe(500)
      expect((error as AuthspecError).message).toContain('schemes')
    }
  })
})
