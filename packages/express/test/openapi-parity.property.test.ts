import { apiKey, createAuth } from '@authspec/core'
import express5 from 'express'
import type { Express, RequestHandler, Router } from 'express'
import express4 from 'express4'
import fc from 'fast-check'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'
import { close } from './helpers.js'

/**
 * openapiDocument(app) documents exactly what is enforced: random Express apps (nested routers,
 * array and parameterised mounts, app.use(path, guard), router.use(guard), route guards, a
 * pass-through first layer, trailing slashes, arrays of paths), every documented operation
 * probed without credentials through one in-process server.
 */
type ExpressFactory = typeof express5

const auth = createAuth({
  schemes: {
    A: apiKey({ in: 'header', name: 'X-A', keys: { a: 'key-a-0123456789' } }),
    B: apiKey({ in: 'header', name: 'X-B', keys: { b: 'key-b-0123456789' } }),
  },
})
const GUARDS: RequestHandler[] = [requireAuth(auth, [{ A: [] }]), requireAuth(auth, [{ B: [] }])]
const CREDENTIALS = { 'x-a': 'key-a-0123456789', 'x-b': 'key-b-0123456789' }
const USE_PATHS: (string | string[])[] = ['/', '/r', '/r/:p', ['/r', '/s'], '/s', '/r/x']
const ROUTE_PATHS: (string | string[])[] = ['/r', '/r/', '/r/x', '/r/:id', '/r/:id/c', '/s/x', '/t', ['/r/x', '/t'], '/:any']
const MOUNTS: (string | string[])[] = ['/r', '/m', '/:k', ['/m', '/n']]
const CANDIDATES = ['x1', '1', 'ABC']

type Entry =
  | { kind: 'use'; path: string | string[]; guard: number }
  | { kind: 'pass' }
  | { kind: 'route'; method: 'get' | 'post'; path: string | string[]; guard: number | null }
  | { kind: 'router'; mount: string | string[]; entries: Entry[] }

const use = fc.record({ kind: fc.constant('use' as const), path: fc.constantFrom(...USE_PATHS), guard: fc.nat(1) })
const routerUse = fc.record({ kind: fc.constant('use' as const), path: fc.constant('/'), guard: fc.nat(1) })
const pass = fc.constant({ kind: 'pass' as const })
const route = fc.record({
  kind: fc.constant('route' as const),
  method: fc.constantFrom('get' as const, 'post' as const),
  path: fc.constantFrom(...ROUTE_PATHS),
  guard: fc.option(fc.nat(1), { nil: null }),
})
const inner = fc.array(fc.oneof(use, routerUse, route, route), { maxLength: 5 })
const entries = fc.array(fc.oneof(use, pass, route, route, fc.record({ kind: fc.constant('router' as const), mount: fc.constantFrom(...MOUNTS), entries: inner })), {
  minLength: 1,
  maxLength: 8,
})

const template = (path: string) => path.replace(/:(\w+)/g, '{$1}').replace(/(.)\/$/, '$1')
const prefixes = (mount: string | string[], prefix: string[]) => prefix.flatMap((p) => (Array.isArray(mount) ? mount : [mount]).map((m) => p + (m === '/' ? '' : m)))

function build(express: ExpressFactory, target: Express | Router, list: Entry[], prefix: string[]): void {
  for (const entry of list) {
    const mount = (target as Router).use.bind(target) as (path: string | string[], handler: RequestHandler | Router) => void
    if (entry.kind === 'use') mount(entry.path, GUARDS[entry.guard]!)
    else if (entry.kind === 'pass') mount('/', (_req, _res, next) => next())
    else if (entry.kind === 'route') {
      const keys = prefixes(entry.path, prefix).map((p) => `${entry.method.toUpperCase()} ${template(p)}`)
      const handler: RequestHandler = (_req, res) => void res.json(keys)
      const register = (target as Router)[entry.method].bind(target) as (path: string | string[], ...handlers: RequestHandler[]) => void
      if (entry.guard === null) register(entry.path, handler)
      else register(entry.path, GUARDS[entry.guard]!, handler)
    } else {
      const router = express.Router({ mergeParams: true })
      build(express, router, entry.entries, prefixes(entry.mount, prefix))
      mount(entry.mount, router)
    }
  }
}

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('openapiDocument(app) on %s documents exactly what is enforced', (_name, express) => {
  let current: Express | undefined
  let server: Server | undefined
  let url = ''
  beforeAll(async () => {
    server = createServer((req, res) => current!(req, res))
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => close(server))

  it('random apps: documented security ⇔ every request 401 without credentials; documented public ⇔ served', async () => {
    let probes = 0
    await fc.assert(
      fc.asyncProperty(entries, async (list) => {
        const app = express()
        build(express, app, list, [''])
        current = app
        const doc = openapiDocument(app)
        for (const [path, item] of Object.entries(doc.paths)) {
          for (const [method, operation] of Object.entries(item)) {
            const key = `${method.toUpperCase()} ${path}`
            const statuses: number[] = []
            for (const value of path.includes('{') ? CANDIDATES : ['']) {
              const concrete = `${url}${path.replace(/\{\w+\}/g, value)}`
              const reached = await fetch(concrete, { method, headers: CREDENTIALS })
              if (reached.status !== 200 || !((await reached.json()) as string[]).includes(key)) continue
              probes++
              const response = await fetch(concrete, { method })
              await response.arrayBuffer()
              statuses.push(response.status)
            }
            if (statuses.length === 0) continue // every candidate is answered by another route
            const documented = Array.isArray(operation.security) && operation.security.length > 0
            const ok = documented ? statuses.every((status) => status === 401) : statuses.some((status) => status !== 401)
            if (!ok) throw new Error(`${key}: documented ${JSON.stringify(operation.security ?? 'public')}, got ${statuses.join(', ')}\n${JSON.stringify(list)}`)
          }
        }
      }),
      { numRuns: 350 },
    )
    expect(probes).toBeGreaterThan(1000)
  }, 180_000)
})
