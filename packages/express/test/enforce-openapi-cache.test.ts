import express5 from 'express'
import type { Express } from 'express'
import express4 from 'express4'
import type { Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { enforceOpenAPI } from '../src/index.js'
import { stackOf } from '../src/router-match.js'
import { BOOKSTORE, KEY, bookstoreAuth } from '../../hono/test/bookstore.js'
import { close, listen } from './helpers.js'

type ExpressFactory = typeof express5

/** The bookstore plus `/{section}/{id}`, public: a route for it registered first also serves `/books/7`. */
const WITH_ANY = { ...BOOKSTORE, paths: { ...(BOOKSTORE.paths as object), '/{section}/{id}': { get: { security: [], responses: {} } } } }

/** The bookstore plus `/open/{id}`, public: the same router mounted at `/books` and `/open` implements both. */
const WITH_OPEN = { ...BOOKSTORE, paths: { ...(BOOKSTORE.paths as object), '/open/{id}': { get: { security: [], responses: {} } } } }

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('enforceOpenAPI per-route preparation on %s', (_name, express) => {
  let server: Server | undefined
  afterEach(() => close(server))
  const serve = async (app: Express): Promise<string> => {
    const listening = await listen(app)
    server = listening.server
    return listening.url
  }

  it('binds and prepares a route\'s requirement once per route, mount and method, never per request', async () => {
    const auth = bookstoreAuth()
    const prepare = auth.prepare.bind(auth)
    const prepared: unknown[] = []
    // The real prepare, counted: enforceOpenAPI looks it up on the auth when a route is first reached.
    auth.prepare = ((requirement: never) => (prepared.push(requirement), prepare(requirement))) as typeof auth.prepare
    const app = express()
    app.use(enforceOpenAPI(auth))
    app.get('/books', (_req, res) => void res.send('list'))
    app.get('/books/:id', (_req, res) => void res.send('book'))
    const url = await serve(app)
    for (let i = 0; i < 20; i++) {
      expect((await fetch(`${url}/books/${i}`, { headers: KEY })).status).toBe(200)
      expect((await fetch(`${url}/BOOKS/${i}/`)).status).toBe(401)
      expect((await fetch(`${url}/books`, { headers: KEY })).status).toBe(200)
    }
    // GET /books/:id and GET /books: two preparations for 60 requests.
    expect(prepared).toHaveLength(2)
  })

  it('one router mounted at two paths: each mount keeps its own operation\'s requirement, whatever the order of requests', async () => {
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth(WITH_OPEN)))
    const items = express.Router()
    items.get('/:id', (_req, res) => void res.send('item'))
    app.use('/open', items)
    app.use('/books', items)
    const url = await serve(app)
    // The public mount is reached first: the protected one must not reuse what was prepared for it.
    expect((await fetch(`${url}/open/1`)).status).toBe(200)
    expect((await fetch(`${url}/books/1`)).status).toBe(401)
    expect((await fetch(`${url}/books/1`, { headers: KEY })).status).toBe(200)
    expect((await fetch(`${url}/open/2`)).status).toBe(200)
  })

  it('a route removed from the stack after requests were served: the next request gets the route the router now dispatches to', async () => {
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth(WITH_ANY)))
    app.get('/:section/:id', (_req, res) => void res.send('any'))
    app.get('/books/:id', (_req, res) => void res.send('book'))
    const url = await serve(app)
    // The public catch-all comes first, so Express dispatches /books/7 to it.
    for (let i = 0; i < 3; i++) expect(await (await fetch(`${url}/books/7`)).text()).toBe('any')
    const stack = stackOf(app)!
    stack.splice(stack.findIndex((layer) => layer.route?.path === '/:section/:id'), 1)
    // Now the protected route answers /books/7: without credentials it must be refused, not served as public.
    expect((await fetch(`${url}/books/7`)).status).toBe(401)
    const served = await fetch(`${url}/books/7`, { headers: KEY })
    expect([served.status, await served.text()]).toEqual([200, 'book'])
  })

  it('a route added to a mounted router after requests were served is found (a path no route had before)', async () => {
    const app = express()
    app.use(enforceOpenAPI(bookstoreAuth()))
    const books = express.Router()
    app.use('/books', books)
    books.get('/', (_req, res) => void res.send('list'))
    const url = await serve(app)
    expect((await fetch(`${url}/books`, { headers: KEY })).status).toBe(200)
    expect((await fetch(`${url}/books/7`, { headers: KEY })).status).toBe(404)
    books.get('/:id', (_req, res) => void res.send('book'))
    expect((await fetch(`${url}/books/7`)).status).toBe(401)
    expect((await fetch(`${url}/books/7`, { headers: KEY })).status).toBe(200)
  })
})
