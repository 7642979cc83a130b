import { apiKey, createAuth, httpBasic, httpBearer, isAuthspecError, type AuthContext } from '@authspec/core'
import { Hono } from 'hono'
import { describe, expect, it, vi } from 'vitest'
import { AuthFailureException, requireAuth } from '../src/index.js'

interface Bindings {
  API_KEY: string
}

const seen: AuthContext[] = []
const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({
      in: 'header',
      name: 'X-API-Key',
      verify: (key, ctx) => {
        seen.push(ctx)
        return key === (ctx.env as Bindings).API_KEY ? { id: 'k1' } : null
      },
    }),
    BasicAuth: httpBasic({ realm: 'pets', users: { alice: 'wonderland' } }),
    Bearer: httpBearer({
      verify: (token) => (token === 'reader' ? { sub: 'r', scopes: ['pets:read'] } : token === 'boom' ? (true as never) : null),
      scopes: (p) => p.scopes,
    }),
  },
})

const env: Bindings = { API_KEY: 'secret-key' }
const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`

function buildApp() {
  const app = new Hono<{ Bindings: Bindings }>()
  app.get('/key', requireAuth(auth, [{ ApiKeyAuth: [] }]), (c) => {
    c.header('Vary', 'Accept-Encoding')
    return c.json({ principal: c.var.auth.principals.ApiKeyAuth, sameRequest: seen.at(-1)?.request === c.req.raw })
  })
  app.get('/or', requireAuth(auth, [{ ApiKeyAuth: [] }, { BasicAuth: [] }]), (c) => c.json({ alternative: c.var.auth.alternative }))
  app.get('/and', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), (c) => c.json(c.var.auth.principals))
  app.get('/read', requireAuth(auth, [{ Bearer: ['pets:read'] }]), (c) => {
    c.header('Cache-Control', 'private, max-age=60')
    return c.json({ scopes: c.var.auth.scopes })
  })
  app.get('/write', requireAuth(auth, [{ Bearer: ['pets:write'] }]), (c) => c.text('written'))
  app.get('/redirect', requireAuth(auth, [{ Bearer: ['pets:read'] }]), () => Response.redirect('http://localhost/elsewhere', 302))
  app.get('/public', requireAuth(auth, []), (c) => c.text('hello'))
  app.use('/admin/*', requireAuth(auth, [{ BasicAuth: [] }]))
  app.get('/admin/stats', (c) => c.json({ user: (c.get('auth' as never) as { principals: { BasicAuth: unknown } }).principals.BasicAuth }))
  return app
}

describe('requireAuth', () => {
  it('missing credentials → the core 401: problem+json, a challenge per scheme, no-store', async () => {
    const res = await buildApp().request('/or', {}, env)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(await res.json()).toMatchObject({ status: 401, code: 'credentials_missing' })
  })

  it('valid key → handler runs with the typed principal; c.env reaches verify as ctx.env and c.req.raw is the request', async () => {
    const res = await buildApp().request('/key', { headers: { 'X-API-Key': 'secret-key' } }, env)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ principal: { id: 'k1' }, sameRequest: true })
    expect(seen.at(-1)?.env).toBe(env)
  })

  it('a key that is not the env secret → 401 invalid_token', async () => {
    const res = await buildApp().request('/key', { headers: { 'X-API-Key': 'secret-key' } }, { API_KEY: 'other' })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('protected responses get Vary merged with the handler’s and Cache-Control: private', async () => {
    const res = await buildApp().request('/key', { headers: { 'X-API-Key': 'secret-key' } }, env)
    expect(res.headers.get('vary')).toBe('Accept-Encoding, X-API-Key')
    expect(res.headers.get('cache-control')).toBe('private')
  })

  it('a handler’s own Cache-Control is kept; Vary lists Authorization', async () => {
    const res = await buildApp().request('/read', { headers: { Authorization: 'Bearer reader' } }, env)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ scopes: ['pets:read'] })
    expect(res.headers.get('cache-control')).toBe('private, max-age=60')
    expect(res.headers.get('vary')).toBe('Authorization')
  })

  it('a response with immutable headers is copied once and still marked private', async () => {
    const res = await buildApp().request('/redirect', { headers: { Authorization: 'Bearer reader' } }, env)
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('http://localhost/elsewhere')
    expect(res.headers.get('cache-control')).toBe('private')
    expect(res.headers.get('vary')).toBe('Authorization')
  })

  it('OR route: the second alternative passes with Basic; AND route needs both credentials', async () => {
    const app = buildApp()
    const or = await app.request('/or', { headers: { Authorization: basic('alice', 'wonderland') } }, env)
    expect(await or.json()).toEqual({ alternative: 1 })
    const half = await app.request('/and', { headers: { Authorization: basic('alice', 'wonderland') } }, env)
    expect(half.status).toBe(401)
    const both = await app.request('/and', { headers: { Authorization: basic('alice', 'wonderland'), 'X-API-Key': 'secret-key' } }, env)
    expect(both.status).toBe(200)
    expect(await both.json()).toEqual({ ApiKeyAuth: { id: 'k1' }, BasicAuth: { username: 'alice' } })
    expect(both.headers.get('vary')).toBe('X-API-Key, Authorization')
  })

  it('valid token without the scope → 403 insufficient_scope with scope=', async () => {
    const res = await buildApp().request('/write', { headers: { Authorization: 'Bearer reader' } }, env)
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="insufficient_scope", scope="pets:write"')
    expect(await res.json()).toMatchObject({ code: 'insufficient_scope' })
  })

  it('malformed Authorization → 400 invalid_request', async () => {
    const res = await buildApp().request('/read', { headers: { Authorization: 'Bearer a b' } }, env)
    expect(res.status).toBe(400)
  })

  it('app.use guard protects every route under the prefix', async () => {
    const app = buildApp()
    expect((await app.request('/admin/stats', {}, env)).status).toBe(401)
    const ok = await app.request('/admin/stats', { headers: { Authorization: basic('alice', 'wonderland') } }, env)
    expect(await ok.json()).toEqual({ user: { username: 'alice' } })
  })

  it('public requirement [] → no auth, no Vary or Cache-Control added', async () => {
    const res = await buildApp().request('/public', {}, env)
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toBeNull()
    expect(res.headers.get('cache-control')).toBeNull()
  })

  it('app.onError customises failures through AuthFailureException (status, challenges kept)', async () => {
    const app = buildApp()
    app.onError((err, c) => {
      if (err instanceof AuthFailureException) {
        const { failure } = err
        for (const challenge of failure.challenges) c.header('WWW-Authenticate', challenge, { append: true })
        return c.json({ error: failure.code, message: `custom: ${failure.problem.title}` }, failure.status)
      }
      return c.text('other', 500)
    })
    const res = await app.request('/write', { headers: { Authorization: 'Bearer reader' } }, env)
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"')
    expect(await res.json()).toEqual({ error: 'insufficient_scope', message: 'custom: Forbidden' })
  })

  it('AuthFailureException is an HTTPException whose getResponse() is the core response', async () => {
    const app = buildApp()
    let sameResponse = false
    app.onError((err) => {
      if (!(err instanceof AuthFailureException)) throw err
      sameResponse = err.res === err.failure.response && err.status === err.failure.status
      return err.getResponse()
    })
    const res = await app.request('/or', {}, env)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('Basic realm="pets"')
    expect(await res.json()).toMatchObject({ code: 'credentials_missing', status: 401 })
    expect(sameResponse).toBe(true)
  })

  it('a verify bug (AuthspecError) reaches Hono’s error path as a 500, never a grant', async () => {
    const handler = vi.fn()
    const app = new Hono()
    app.get('/x', requireAuth(auth, [{ Bearer: [] }]), (c) => {
      handler()
      return c.text('granted')
    })
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const res = await app.request('/x', { headers: { Authorization: 'Bearer boom' } })
      expect(res.status).toBe(500)
      expect(await res.text()).not.toContain('granted')
      expect(handler).not.toHaveBeenCalled()
      expect(isAuthspecError(consoleError.mock.calls[0]?.[0])).toBe(true)
    } finally {
      consoleError.mockRestore()
    }
    let caught: unknown
    app.onError((err, c) => {
      caught = err
      return c.json({ error: 'internal' }, 500)
    })
    const custom = await app.request('/x', { headers: { Authorization: 'Bearer boom' } })
    expect(custom.status).toBe(500)
    expect(isAuthspecError(caught) && caught.code).toBe('ERR_AUTHSPEC_VERIFY')
    expect(handler).not.toHaveBeenCalled()
  })

  it('an invalid requirement throws ERR_AUTHSPEC_CONFIG when the middleware is created', () => {
    expect(() => requireAuth(auth, [{ Nope: [] } as never])).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => requireAuth(auth, [{ ApiKeyAuth: ['pets:read'] }])).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => requireAuth(auth)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
