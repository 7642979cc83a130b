import { AuthspecError, apiKey, createAuth, httpBasic, httpBearer, isAuthspecError } from '@authspec/core'
import express5 from 'express'
import type { ErrorRequestHandler } from 'express'
import express4 from 'express4'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'
import { basic, close, listen, raw } from './helpers.js'

type ExpressFactory = typeof express5

const tokens: Record<string, { sub: string; scopes: string[] }> = {
  'reader-token': { sub: 'reader', scopes: ['pets:read'] },
  'admin-token': { sub: 'admin', scopes: ['pets:read', 'pets:write'] },
}

function makeAuth() {
  return createAuth({
    realm: 'pets',
    schemes: {
      ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-123' } }),
      QueryKey: apiKey({ in: 'query', name: 'api_key', keys: { q: 'query-key' } }),
      CookieKey: apiKey({ in: 'cookie', name: 'session', keys: { c: 'cookie-key' } }),
      BasicAuth: httpBasic({ users: { admin: 'secret', test: '123£' } }),
      Opaque: httpBearer({ verify: (token) => tokens[token] ?? null, scopes: (p) => p.scopes }),
      Broken: httpBearer({
        verify: (token, ctx) => {
          if (token === 'env') return (ctx.env as { principal?: { sub: string } } | undefined)?.principal ?? null
          throw new Error('database down')
        },
      }),
    },
  })
}

// The same suite runs against Express 4 (npm alias `express4`) and Express 5.
describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('requireAuth on %s', (_name, express) => {
  const auth = makeAuth()
  const errors: unknown[] = []
  let server: Server | undefined
  let url = ''

  beforeAll(async () => {
    const app = express()
    const keyGuard = requireAuth(auth, [{ ApiKeyAuth: [] }])
    app.get('/key', keyGuard, (req, res) => {
      res.json({ principal: keyGuard.auth(req).principals.ApiKeyAuth, same: req.auth === keyGuard.auth(req) })
    })
    app.get('/basic', requireAuth(auth, [{ BasicAuth: [] }]), (req, res) => res.json(req.auth))
    app.get('/either', requireAuth(auth, [{ Opaque: [] }, { ApiKeyAuth: [] }]), (req, res) => res.json(req.auth))
    app.get('/both', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), (req, res) => res.json(req.auth))
    app.get('/write', requireAuth(auth, [{ Opaque: ['pets:write'] }]), (req, res) => res.json(req.auth))
    app.get('/public', requireAuth(auth, []), (req, res) => res.json(req.auth))
    app.get('/query', requireAuth(auth, [{ QueryKey: [] }]), (_req, res) => res.send('ok'))
    app.get('/cookie', requireAuth(auth, [{ CookieKey: [] }]), (_req, res) => res.send('ok'))
    app.get('/broken', requireAuth(auth, [{ Broken: [] }], { env: (req) => ({ principal: { sub: req.get('x-who') } }) }), (req, res) =>
      res.json(req.auth),
    )
    app.get(
      '/cached',
      (_req, res, next) => {
        res.vary('Accept-Encoding')
        next()
      },
      requireAuth(auth, [{ ApiKeyAuth: [] }]),
      (_req, res) => {
        res.set('Cache-Control', 'public, max-age=60')
        res.send('cached')
      },
    )
    app.get(
      '/shared-cache',
      (req, res, next) => {
        res.set('Cache-Control', req.get('x-policy') ?? 'public, max-age=3600')
        next()
      },
      requireAuth(auth, [{ ApiKeyAuth: [] }]),
      (_req, res) => res.send('ok'),
    )
    app.post('/echo', requireAuth(auth, [{ ApiKeyAuth: [] }]), express.json(), (req, res) => res.json(req.body))
    const router = express.Router()
    router.get('/items', requireAuth(auth, [{ QueryKey: [] }]), (req, res) => res.json({ originalUrl: req.originalUrl, scopes: req.auth?.scopes }))
    app.use('/api', router)
    const onError: ErrorRequestHandler = (err, _req, res, _next) => {
      errors.push(err)
      res.status(500).json({ code: isAuthspecError(err) ? err.code : 'other' })
    }
    app.use(onError)
    ;({ url, server } = await listen(app))
  })
  afterAll(() => close(server))

  it('missing credentials → 401, a challenge per scheme, problem+json, no-store', async () => {
    const res = await fetch(`${url}/both`)
    expect(res.status).toBe(401)
    expect(res.headers.get('content-type')).toBe('application/problem+json')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('www-authenticate')).toBe('APIKey realm="pets", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
    const body = await res.json()
    expect(body).toMatchObject({ status: 401, code: 'credentials_missing', title: 'Unauthorized' })
    expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(JSON.stringify(body)))
  })

  it('sends each WWW-Authenticate challenge as its own header field', async () => {
    const { head } = await raw(url, ['GET /either HTTP/1.1'])
    expect(head.match(/^www-authenticate:/gim)).toHaveLength(2)
  })

  it('valid API key → next() with req.auth, Vary and Cache-Control: private', async () => {
    const res = await fetch(`${url}/key`, { headers: { 'X-API-Key': 'key-123' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ principal: { id: 'ci' }, same: true })
    expect(res.headers.get('vary')).toBe('X-API-Key')
    expect(res.headers.get('cache-control')).toBe('private')
  })

  it('wrong API key → 401 invalid_token with error on the challenge', async () => {
    const res = await fetch(`${url}/key`, { headers: { 'X-API-Key': 'nope' } })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"')
    expect((await res.json()).code).toBe('invalid_token')
  })

  it('merges Vary with an earlier middleware and lets the handler choose Cache-Control', async () => {
    const res = await fetch(`${url}/cached`, { headers: { 'X-API-Key': 'key-123' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('vary')).toBe('Accept-Encoding, X-API-Key')
    expect(res.headers.get('cache-control')).toBe('public, max-age=60')
  })

  it('an earlier public Cache-Control becomes private; an earlier no-store is kept', async () => {
    const shared = await fetch(`${url}/shared-cache`, { headers: { 'X-API-Key': 'key-123' } })
    expect(shared.headers.get('cache-control')).toBe('private')
    const noStore = await fetch(`${url}/shared-cache`, { headers: { 'X-API-Key': 'key-123', 'X-Policy': 'no-store' } })
    expect(noStore.headers.get('cache-control')).toBe('no-store')
  })

  it('public route ([]) passes with no principals and no Vary/Cache-Control added', async () => {
    const res = await fetch(`${url}/public`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, principals: {}, scopes: [], alternative: -1 })
    expect(res.headers.get('vary')).toBeNull()
    expect(res.headers.get('cache-control')).toBeNull()
  })

  it('Basic with UTF-8 credentials (RFC 7617 test:123£) → 200', async () => {
    const res = await fetch(`${url}/basic`, { headers: { Authorization: basic('test', '123£') } })
    expect(res.status).toBe(200)
    expect((await res.json()).principals).toEqual({ BasicAuth: { username: 'test' } })
  })

  it('two Authorization fields are ambiguous → 400 (Node keeps only the first in req.headers)', async () => {
    const res = await raw(url, ['GET /basic HTTP/1.1', `Authorization: ${basic('admin', 'secret')}`, `Authorization: ${basic('admin', 'wrong')}`])
    expect(res.status).toBe(400)
    expect(res.head).toMatch(/^www-authenticate: Basic realm="pets", charset="UTF-8", error="invalid_request"$/im)
  })

  it('one Authorization field among others still works over raw HTTP', async () => {
    const res = await raw(url, ['GET /basic HTTP/1.1', 'X-Other: 1', `authorization: ${basic('admin', 'secret')}`])
    expect(res.status).toBe(200)
  })

  it('repeated X-API-Key with different values → 400', async () => {
    const res = await raw(url, ['GET /key HTTP/1.1', 'X-API-Key: key-123', 'X-API-Key: other'])
    expect(res.status).toBe(400)
  })

  it('OR route: either alternative passes and reports which', async () => {
    const bearer = await fetch(`${url}/either`, { headers: { Authorization: 'Bearer reader-token' } })
    expect((await bearer.json()).alternative).toBe(0)
    const key = await fetch(`${url}/either`, { headers: { 'X-API-Key': 'key-123' } })
    expect((await key.json()).alternative).toBe(1)
  })

  it('AND route: both credentials are needed', async () => {
    const one = await fetch(`${url}/both`, { headers: { 'X-API-Key': 'key-123' } })
    expect(one.status).toBe(401)
    const both = await fetch(`${url}/both`, { headers: { 'X-API-Key': 'key-123', Authorization: basic('admin', 'secret') } })
    expect(both.status).toBe(200)
    expect(both.headers.get('vary')).toBe('X-API-Key, Authorization')
    expect(Object.keys((await both.json()).principals).sort()).toEqual(['ApiKeyAuth', 'BasicAuth'])
  })

  it('valid token without the scope → 403 insufficient_scope with scope in the challenge', async () => {
    const res = await fetch(`${url}/write`, { headers: { Authorization: 'Bearer reader-token' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="pets", error="insufficient_scope", scope="pets:write"')
    const ok = await fetch(`${url}/write`, { headers: { Authorization: 'Bearer admin-token' } })
    expect(ok.status).toBe(200)
    expect((await ok.json()).scopes).toEqual(['pets:read', 'pets:write'])
  })

  it('malformed bearer → 400 invalid_request', async () => {
    const res = await fetch(`${url}/write`, { headers: { Authorization: 'Bearer a b' } })
    expect(res.status).toBe(400)
    expect((await res.json()).code).toBe('invalid_request')
  })

  it('reads query keys from originalUrl, also inside a mounted router', async () => {
    expect((await fetch(`${url}/query?api_key=query-key`)).status).toBe(200)
    expect((await fetch(`${url}/query?api_key=bad`)).status).toBe(401)
    const res = await fetch(`${url}/api/items?api_key=query-key`)
    expect(res.status).toBe(200)
    expect((await res.json()).originalUrl).toBe('/api/items?api_key=query-key')
  })

  it('reads cookie keys, and duplicate cookies with different values are ambiguous', async () => {
    expect((await fetch(`${url}/cookie`, { headers: { Cookie: 'a=1; session=cookie-key' } })).status).toBe(200)
    const dup = await raw(url, ['GET /cookie HTTP/1.1', 'Cookie: session=cookie-key', 'Cookie: session=other'])
    expect(dup.status).toBe(400)
  })

  it('a verify that throws goes to next(err) as ERR_AUTHSPEC_VERIFY, never a grant', async () => {
    errors.length = 0
    const res = await fetch(`${url}/broken`, { headers: { Authorization: 'Bearer boom' } })
    expect(res.status).toBe(500)
    expect(await res.json()).toEqual({ code: 'ERR_AUTHSPEC_VERIFY' })
    expect(errors).toHaveLength(1)
    expect((errors[0] as AuthspecError).cause).toBeInstanceOf(Error)
  })

  it('passes env(req) to verifiers as ctx.env', async () => {
    const res = await fetch(`${url}/broken`, { headers: { Authorization: 'Bearer env', 'X-Who': 'carol' } })
    expect(res.status).toBe(200)
    expect((await res.json()).principals).toEqual({ Broken: { sub: 'carol' } })
  })

  it('never reads the body: a body parser after the guard still gets it', async () => {
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'X-API-Key': 'key-123', 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Rex' }),
    })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ name: 'Rex' })
  })

  it('guard.auth(req) throws on a request that did not pass a guard', () => {
    const guard = requireAuth(auth, [{ ApiKeyAuth: [] }])
    expect(() => guard.auth({} as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })

  it('config errors throw when the middleware is created, not per request', () => {
    expect(() => requireAuth(auth, [{ Nope: [] }] as never)).toThrow(AuthspecError)
    expect(() => requireAuth(auth, [{ BasicAuth: ['admin'] }])).toThrow(/cannot check scopes/)
    expect(() => requireAuth(auth)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => requireAuth(auth, [], { env: 'x' as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('requireAuth with renderError on %s', (_name, express) => {
  let server: Server | undefined
  let url = ''
  beforeAll(async () => {
    const auth = createAuth({
      schemes: { ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-123' } }) },
      security: [{ ApiKeyAuth: [] }],
      renderError: (failure) => {
        const headers = new Headers({ 'Content-Type': 'text/plain', 'X-Failure': failure.code })
        headers.append('Set-Cookie', 'a=1')
        headers.append('Set-Cookie', 'b=2')
        return new Response(`denied: ${failure.status}`, { status: failure.status === 401 ? 418 : failure.status, headers })
      },
    })
    const app = express()
    app.get('/default', requireAuth(auth), (_req, res) => res.send('in'))
    ;({ url, server } = await listen(app))
  })
  afterAll(() => close(server))

  it('sends the custom Response: status, headers (each Set-Cookie) and body', async () => {
    const res = await fetch(`${url}/default`)
    expect(res.status).toBe(418)
    expect(res.headers.get('x-failure')).toBe('credentials_missing')
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2'])
    expect(await res.text()).toBe('denied: 401')
    expect((await fetch(`${url}/default`, { headers: { 'X-API-Key': 'key-123' } })).status).toBe(200)
  })
})
