import { isAuthspecError } from '@authspec/core'
import express5 from 'express'
import type { ErrorRequestHandler, Express, Request, Response } from 'express'
import express4 from 'express4'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkCoverage, enforceOpenAPI, requireAuth } from '../src/index.js'
import { BASIC, BOOKSTORE, CASES, KEY, RAW_TARGETS, bookstoreAuth } from '../../hono/test/bookstore.js'
import { close, listen, raw } from './helpers.js'

type ExpressFactory = typeof express5

const principals = (req: Request) => Object.keys(req.auth?.principals ?? {})

/** The bookstore on `express`, its routes on the app or on an `express.Router()` mounted at `/`. */
function bookstoreApp(express: ExpressFactory, withRouter: boolean, hits: string[]): Express {
  const app = express()
  app.use(enforceOpenAPI(bookstoreAuth()))
  const r = withRouter ? express.Router() : app
  r.get('/health', (_req: Request, res: Response) => void res.send('ok'))
  r.get('/books', (req: Request, res: Response) => (hits.push('GET /books'), void res.json({ by: principals(req) })))
  r.post('/books', (req: Request, res: Response) => (hits.push('POST /books'), void res.status(201).json({ by: principals(req) })))
  r.get('/books/:id', (req: Request, res: Response) => (hits.push('GET /books/:id'), void res.json({ id: req.params.id, by: principals(req) })))
  r.delete('/books/:id', (_req: Request, res: Response) => (hits.push('DELETE /books/:id'), void res.status(204).end()))
  if (withRouter) app.use(r)
  app.use(((error, _req, res, _next) => void res.status(isAuthspecError(error) ? 500 : 400).json({ error: String(error) })) as ErrorRequestHandler)
  return app
}

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory, false],
  ['Express 4 with a Router', express4 as unknown as ExpressFactory, true],
  ['Express 5', express5, false],
  ['Express 5 with a Router', express5, true],
])('enforceOpenAPI on %s', (_name, express, withRouter) => {
  const hits: string[] = []
  let server: Server | undefined
  let url = ''
  beforeAll(async () => ({ url, server } = await listen(bookstoreApp(express, withRouter, hits))))
  afterAll(() => close(server))

  it.each(CASES)('%s: %s %s → %i', async (_case, method, path, headers, status) => {
    expect((await fetch(`${url}${path}`, { method, headers })).status).toBe(status)
  })

  it('the principal is in req.auth; a protected answer is private and varies on the credentials', async () => {
    const ok = await fetch(`${url}/books/7`, { headers: BASIC })
    expect(await ok.json()).toEqual({ id: '7', by: ['BasicAuth'] })
    expect(ok.headers.get('cache-control')).toBe('private')
    expect(ok.headers.get('vary')).toBe('X-API-Key, Authorization')
    expect((await fetch(`${url}/books/7`, { method: 'DELETE' })).headers.get('www-authenticate')).toBe(
      'APIKey realm="api", in="header", name="X-API-Key", Basic realm="api", charset="UTF-8"',
    )
  })

  it('raw request targets over a socket: no protected handler runs without credentials; the router\'s spellings get the route requirement', async () => {
    hits.length = 0
    const seen: Record<string, number> = {}
    for (const target of RAW_TARGETS) {
      const { status } = await raw(url, [`GET ${target} HTTP/1.1`])
      seen[target] = status
      expect([400, 401, 404], `${target} → ${status}`).toContain(status)
    }
    expect(hits).toEqual([])
    // Express routes these to /books or /books/:id (case-insensitive, trailing slash, absolute form): the route's requirement applies.
    for (const target of ['/BOOKS', '/books/', 'http://host/books/7', '/Books/7', '/books/7/', '/books\\7#x']) expect(seen[target], target).toBe(401)
    const withKey = await raw(url, ['GET /BOOKS HTTP/1.1', 'X-API-Key: key-0123456789'])
    expect(withKey.status).toBe(200)
    expect(hits).toEqual(['GET /books'])
  })
})

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('enforceOpenAPI on %s: bound to the router, not the URL', (_name, express) => {
  let server: Server | undefined
  afterAll(() => close(server))
  const serve = async (app: Express): Promise<string> => {
    await close(server)
    const listening = await listen(app)
    server = listening.server
    return listening.url
  }

  it('mounted routers, parameterised and array mounts, a {version} server base', async () => {
    const auth = bookstoreAuth({ ...BOOKSTORE, servers: [{ url: '/{version}' }] })
    const app = express()
    app.use(enforceOpenAPI(auth))
    const books = express.Router()
    books.get('/', (_req, res) => void res.send('list'))
    books.get('/:id', (_req, res) => void res.send('book'))
    app.use(['/v1/books', '/v2/books'], books)
    app.get('/books/:id', (_req, res) => void res.send('unversioned book'))
    const health = express.Router({ mergeParams: true })
    health.get('/health', (_req, res) => void res.send('ok'))
    app.use('/:version', health)
    const url = await serve(app)
    expect((await fetch(`${url}/v1/books`)).status).toBe(401)
    expect((await fetch(`${url}/V2/BOOKS/7`)).status).toBe(401)
    expect((await fetch(`${url}/v2/books/7`, { headers: BASIC })).status).toBe(200)
    expect((await fetch(`${url}/v1/health`)).status).toBe(200)
    // The case: under a /{version} base, /books/health is not /health when the router runs /books/:id.
    expect((await fetch(`${url}/books/health`)).status).toBe(401)
    expect((await fetch(`${url}/books/health`, { headers: KEY })).status).toBe(200)
  })

  it('a router stays case-insensitive under "case sensitive routing": /ADMIN gets /admin\'s requirement', async () => {
    const auth = bookstoreAuth({ ...BOOKSTORE, paths: { ...(BOOKSTORE.paths as object), '/admin': { get: { security: [{ BasicAuth: [] }], responses: {} } } } })
    const app = express()
    app.set('case sensitive routing', true)
    app.use(enforceOpenAPI(auth))
    const router = express.Router()
    router.get('/admin', (_req, res) => void res.send('admin'))
    app.use(router)
    const url = await serve(app)
    for (const path of ['/admin', '/ADMIN', '/Admin/']) {
      expect((await fetch(`${url}${path}`, { headers: KEY })).status, path).toBe(401)
      expect((await fetch(`${url}${path}`, { headers: BASIC })).status, path).toBe(200)
    }
  })

  it('a route outside the document is a config error listing every such route (default), or 404 with unboundRoutes: deny', async () => {
    const errors: unknown[] = []
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth()))
    app.get('/admin/secrets', (_req, res) => void res.send('secret'))
    app.get('/files/*splat', (_req, res) => void res.send('file'))
    app.get('/health', (_req, res) => void res.send('ok'))
    app.use(((error, _req, res, _next) => (errors.push(error), void res.status(500).end())) as ErrorRequestHandler)
    const url = await serve(app)
    expect((await fetch(`${url}/admin/secrets`)).status).toBe(500)
    expect(isAuthspecError(errors[0]) && errors[0].message).toMatch(/GET \/admin\/secrets implements no operation.*GET \/files\/\*splat/)
    expect((await fetch(`${url}/health`)).status).toBe(200)

    const deny = express()
    deny.use(enforceOpenAPI(bookstoreAuth(), { unboundRoutes: 'deny', exclude: (path) => path === '/openapi.json' }))
    deny.get('/admin/secrets', (_req, res) => void res.send('secret'))
    deny.get('/openapi.json', (_req, res) => void res.json({}))
    const denyUrl = await serve(deny)
    const denied = await fetch(`${denyUrl}/admin/secrets`)
    expect(denied.status).toBe(404)
    expect(denied.headers.get('content-type')).toBe('application/problem+json')
    expect((await fetch(`${denyUrl}/openapi.json`)).status).toBe(200)
  })

  it('a mounted Express app (opaque to the router) is never public', async () => {
    const sub = express()
    sub.get('/books', (_req, res) => void res.send('inner'))
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth(), { unboundRoutes: 'deny' }))
    app.use('/inner', sub)
    const url = await serve(app)
    expect((await fetch(`${url}/inner/books`)).status).toBe(404)
    expect(checkCoverage(app, bookstoreAuth()).unboundRoutes).toContain('an Express app mounted at /inner')
  })

  it('an all() route: documented methods are enforced, others answer 405 with Allow; a CORS preflight passes', async () => {
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth()))
    app.all('/books', (req, res) => void res.send(req.method === 'OPTIONS' ? 'preflight' : 'books'))
    const url = await serve(app)
    expect((await fetch(`${url}/books`)).status).toBe(401)
    expect((await fetch(`${url}/books`, { headers: KEY })).status).toBe(200)
    const put = await fetch(`${url}/books`, { method: 'PUT', headers: KEY })
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('GET, POST, HEAD')
    const preflight = await fetch(`${url}/books`, { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'POST' } })
    expect(preflight.status).toBe(200)
    expect(await preflight.text()).toBe('preflight')
    expect((await fetch(`${url}/nowhere`)).status).toBe(404)
  })

  it('enforceOpenAPI then a route guard: req.auth merges both, each guard keeps its own result', async () => {
    const auth = bookstoreAuth()
    const basicGuard = requireAuth(auth, [{ BasicAuth: [] }])
    const app = express()
    app.use(enforceOpenAPI(auth))
    app.get('/books', basicGuard, (req, res) => void res.json({ merged: principals(req), own: Object.keys(basicGuard.auth(req).principals) }))
    const url = await serve(app)
    expect(await (await fetch(`${url}/books`, { headers: { ...KEY, ...BASIC } })).json()).toEqual({ merged: ['ApiKeyAuth', 'BasicAuth'], own: ['BasicAuth'] })
  })

  it('enforceOpenAPI must sit on the app: inside a router it is a config error, not a bypass', async () => {
    const errors: unknown[] = []
    const app = express()
    const router = express.Router()
    router.use(enforceOpenAPI(bookstoreAuth()))
    router.get('/books', (_req, res) => void res.send('books'))
    app.use(router)
    app.use(((error, _req, res, _next) => (errors.push(error), void res.status(500).end())) as ErrorRequestHandler)
    const url = await serve(app)
    expect((await fetch(`${url}/books`)).status).toBe(500)
    expect(String(errors[0])).toContain('mount it on the app itself')
  })

  it('checkCoverage lists routes without an operation and operations without a route, through routers', () => {
    const auth = bookstoreAuth()
    const app = express()
    app.use(enforceOpenAPI(auth))
    const router = express.Router()
    router.get('/:id', (_req, res) => void res.end())
    router.put('/:id', (_req, res) => void res.end())
    app.use('/books', router)
    app.get('/health', (_req, res) => void res.end())
    expect(checkCoverage(app, auth)).toEqual({
      ok: false,
      unboundRoutes: ['PUT /books/:id'],
      unimplementedOperations: ['GET /books', 'POST /books', 'DELETE /books/{id}'],
    })
    expect(checkCoverage(bookstoreApp(express, true, []), auth)).toEqual({ ok: true, unboundRoutes: [], unimplementedOperations: [] })
  })

  it('requireAuth(specAuth) without a requirement is a config error that names enforceOpenAPI', () => {
    expect(() => requireAuth(bookstoreAuth())).toThrow(/enforceOpenAPI/)
  })
})
