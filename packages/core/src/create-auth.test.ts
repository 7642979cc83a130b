import { describe, expect, it } from 'vitest'
import { apiKey, createAuth, httpBasic, httpBearer, AuthspecError } from './index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: 'demo-key-123' } }),
    BasicAuth: httpBasic({ realm: 'pets', users: { Aladdin: 'open sesame' } }),
    Opaque: httpBearer({ verify: (token) => (token === 'tok' ? { sub: 'u1', scopes: ['pets:read'] } : null), scopes: (p) => p.scopes }),
  },
})

const req = (headers: Record<string, string> = {}, url = 'http://localhost/pets') => new Request(url, { headers })

describe('createAuth', () => {
  it('valid API key → success with its principal', async () => {
    const result = await auth.authenticate(req({ 'x-api-key': 'demo-key-123' }), [{ ApiKeyAuth: [] }])
    expect(result.ok).toBe(true)
    if (result.ok) expect(result.principals.ApiKeyAuth).toEqual({ id: 'demo' })
  })

  it('missing credentials → 401 with a challenge per scheme and no error code', async () => {
    const result = await auth.authenticate(req(), [{ ApiKeyAuth: [] }, { BasicAuth: [] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(401)
    expect(result.code).toBe('credentials_missing')
    const response = result.response
    expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await response.json()).toMatchObject({ status: 401, code: 'credentials_missing' })
  })

  it('RFC 7617 example Aladdin:open sesame → success', async () => {
    const result = await auth.authenticate(req({ authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }), [{ BasicAuth: [] }])
    expect(result.ok && result.principals.BasicAuth).toEqual({ username: 'Aladdin' })
  })

  it('bearer with missing scope → 403 insufficient_scope with scope=', async () => {
    const result = await auth.authenticate(req({ authorization: 'Bearer tok' }), [{ Opaque: ['pets:write'] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(403)
    expect(result.challenges).toEqual(['Bearer realm="api", error="insufficient_scope", scope="pets:write"'])
  })

  it('unknown scheme in a requirement → ERR_AUTHSPEC_CONFIG', () => {
    expect(() => auth.prepare([{ Nope: [] } as never])).toThrow(AuthspecError)
  })
})
