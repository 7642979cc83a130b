import { serve } from '@hono/node-server'
import { isAuthspecError } from '@authspec/core'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkCoverage, enforceOpenAPI, requireAuth, type AuthEnv } from '../src/index.js'
import { BASIC, BOOKSTORE, CASES, KEY, RAW_TARGETS, bookstoreAuth } from './bookstore.js'

function bookstoreApp() {
  const auth = bookstoreAuth()
  const hits: string[] = []
  const app = new Hono<AuthEnv>()
  app.use('*', enforceOpenAPI(auth))
  app.get('/health', (c) => c.text('ok'))
  app.get('/books', (c) => (hits.push('GET /books'), c.json({ by: Object.keys(c.var.auth.principals) })))
  app.post('/books', (c) => (hits.push('POST /books'), c.json({ by: Object.keys(c.var.auth.principals) }, 201)))
  app.get('/books/:id', (c) => (hits.push('GET /books/:id'), c.json({ id: c.req.param('id'), by: Object.keys(c.var.auth.principals) })))
  app.delete('/books/:id', (c) => (hits.push('DELETE /books/:id'), c.body(null, 204)))
  return { app, auth, hits }
}

function rawRequest(port: number, target: string, headers: string[] = []): Promise<{ status: number; head: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers.map((h) => `${h}\r\n`).join('')}Connection: close\r\n\r\n`)
    })
    let data = ''
    socket.setEncoding('utf8')
    socket.setTimeout(5000, () => socket.destroy(new Error(`timeout on ${target}`)))
    socket.on('data', (chunk: string) => (data += chunk))
    socket.on('error', reject)
    socket.on('end', () => {
      const head = data.split('\r\n\r\n')[0] ?? ''
      resolve({ status: Number(head.split(' ')[1]), head })
    })
  })
}

describe('enforceOpenAPI on Hono: the case table', () => {
  const { app } = bookstoreApp()
  it.each(CASES)('%s: %s %s → %i (app.request)', async (_name, method, path, headers, status) => {
    const response = await app.request(path, { method, headers })
    expect(response.status).toBe(status)
  })

  it('the principal is in c.var.auth, failures carry the document requirement challenges', async () => {
    const ok = await app.request('/books/7', { headers: BASIC })
    expect(await ok.json()).toEqual({ id: '7', by: ['BasicAuth'] })
    expect(ok.headers.get('cache-control')).toBe('private')
    expect(ok.headers.get('vary')).toBe('X-API-Key, Authorization')
    const missing = await app.request('/books/7', { method: 'DELETE' })
    expect(missing.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Basic realm="api", charset="UTF-8"')
    expect((await app.request('/health')).headers.get('cache-control')).toBeNull()
  })
})

describe('enforceOpenAPI on Hono (@hono/node-server)', () => {
  const { app, hits } = bookstoreApp()
  let server: ReturnType<typeof serve>
  let port = 0
  beforeAll(async () => {
    server = await new Promise((resolve) => {
      const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(created))
    })
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it.each(CASES)('%s: %s %s → %i over a socket', async (_name, method, path, headers, status) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers })
    expect(response.status).toBe(status)
  })

  it('raw request targets: every spelling the router accepts gets its route requirement; no protected handler runs without credentials', async () => {
    hits.length = 0
    const seen: Record<string, number> = {}
    for (const target of RAW_TARGETS) {
      const { status } = await rawRequest(port, target)
      seen[target] = status
      expect([400, 401, 404], `${target} → ${status}`).toContain(status)
    }
    expect(hits).toEqual([])
    // The spellings Hono itself routes to /books get the document's default requirement (401), not a 404 by luck.
    expect(seen['/%62ooks']).toBe(401)
    expect(seen['http://host/books/7']).toBe(401)
    expect(seen['/health/../books']).toBe(401)
    // With the key, the same targets reach the handlers: the 401s above are the requirement, not a refusal of the spelling.
    const withKey = await rawRequest(port, '/%62ooks', ['X-API-Key: key-0123456789'])
    expect(withKey.status).toBe(200)
    expect(hits).toEqual(['GET /books'])
  })
})

describe('enforceOpenAPI on Hono: binding to the route, not the URL', () => {
  it('app.route() mounts and basePath map to the document template', async () => {
    const auth = bookstoreAuth()
    const books = new Hono()
    books.get('/', (c) => c.text('list'))
    books.get('/:bookId{[0-9]+}', (c) => c.text(`book ${c.req.param('bookId')}`))
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.route('/books', books)
    app.get('/health', (c) => c.text('ok'))
    expect((await app.request('/books')).status).toBe(401)
    expect((await app.request('/books/7')).status).toBe(401)
    expect((await app.request('/books/7', { headers: BASIC })).status).toBe(200)
    expect((await app.request('/health')).status).toBe(200)

    const versioned = bookstoreAuth({ ...BOOKSTORE, servers: [{ url: '/v1' }] })
    const api = new Hono().basePath('/v1')
    api.use('*', enforceOpenAPI(versioned))
    api.get('/books/:id', (c) => c.text('book'))
    api.get('/health', (c) => c.text('ok'))
    expect((await api.request('/v1/books/7')).status).toBe(401)
    expect((await api.request('/v1/books/7', { headers: KEY })).status).toBe(200)
    expect((await api.request('/v1/health')).status).toBe(200)
  })

  it('a route that implements no operation is a config error naming it (default), or 404 with unboundRoutes: deny', async () => {
    const auth = bookstoreAuth()
    const errors: unknown[] = []
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.get('/admin/secrets', (c) => c.text('secret'))
    app.onError((error, c) => (errors.push(error), c.text('error', 500)))
    expect((await app.request('/admin/secrets')).status).toBe(500)
    expect(isAuthspecError(errors[0]) && errors[0].message).toContain('GET /admin/secrets implements no operation')

    const deny = new Hono()
    deny.use('*', enforceOpenAPI(auth, { unboundRoutes: 'deny', exclude: (path) => path === '/openapi.json' }))
    deny.get('/admin/secrets', (c) => c.text('secret'))
    deny.get('/openapi.json', (c) => c.json({}))
    const denied = await deny.request('/admin/secrets')
    expect(denied.status).toBe(404)
    expect(denied.headers.get('content-type')).toBe('application/problem+json')
    expect((await deny.request('/openapi.json')).status).toBe(200)
  })

  it('an all() route: a documented method is enforced; another method answers 405 with Allow; no route is Hono 404', async () => {
    const auth = bookstoreAuth()
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.all('/books', (c) => c.text(c.req.method))
    expect((await app.request('/books')).status).toBe(401)
    expect((await app.request('/books', { headers: KEY })).status).toBe(200)
    const put = await app.request('/books', { method: 'PUT', headers: KEY })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, POST, HEAD')
    expect((await app.request('/nowhere')).status).toBe(404)
  })

  it('a CORS preflight passes unauthenticated when the document has no OPTIONS for the path', async () => {
    const auth = bookstoreAuth()
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.use('*', async (c, next) => (c.req.method === 'OPTIONS' ? c.body(null, 204, { 'access-control-allow-origin': '*' }) : next()))
    app.all('/books', (c) => c.text('books'))
    const preflight = await app.request('/books', { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' } })
    expect(preflight.status).toBe(204)
    // Not a preflight (no Access-Control-Request-Method): the document has no OPTIONS operation → 405.
    expect((await app.request('/books', { method: 'OPTIONS' })).status).toBe(405)
  })

  it('enforceOpenAPI then a route guard: both principals in c.var.auth, each guard keeps its own result', async () => {
    const auth = bookstoreAuth()
    const basicGuard = requireAuth(auth, [{ BasicAuth: [] }])
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.get('/books', basicGuard, (c) => c.json({ merged: Object.keys(c.var.auth.principals), own: Object.keys(basicGuard.auth(c).principals) }))
    expect(await (await app.request('/books', { headers: { ...KEY, ...BASIC } })).json()).toEqual({ merged: ['ApiKeyAuth', 'BasicAuth'], own: ['BasicAuth'] })
  })

  it('checkCoverage lists routes without an operation and operations without a route', () => {
    const auth = bookstoreAuth()
    const app = new Hono()
    app.use('*', enforceOpenAPI(auth))
    app.get('/health', (c) => c.text('ok'))
    app.get('/books/:id', (c) => c.text('book'))
    app.get('/files/*', (c) => c.text('file'))
    app.put('/books/:id', (c) => c.text('put'))
    expect(checkCoverage(app, auth)).toEqual({
      ok: false,
      unboundRoutes: ['GET /files/*', 'PUT /books/:id'],
      unimplementedOperations: ['GET /books', 'POST /books', 'DELETE /books/{id}'],
    })
    const { app: full } = bookstoreApp()
    expect(checkCoverage(full, auth)).toEqual({ ok: true, unboundRoutes: [], unimplementedOperations: [] })
  })

  it('requireAuth(specAuth) without a requirement is a config error that names enforceOpenAPI', () => {
    expect(() => requireAuth(bookstoreAuth())).toThrow(/enforceOpenAPI/)
  })
})
