import { apiKey, createAuth } from '@authspec/core'
import fc from 'fast-check'
import { Hono, type MiddlewareHandler } from 'hono'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

/**
 * openapiDocument(app) documents exactly what is enforced: random apps (sub-apps mounted with
 * app.route(), basePath, app.use(path, guard), route guards, regex and param routes, trailing
 * slashes, arrays of paths), every documented operation probed without credentials.
 */
const auth = createAuth({
  schemes: {
    A: apiKey({ in: 'header', name: 'X-A', keys: { a: 'key-a-0123456789' } }),
    B: apiKey({ in: 'header', name: 'X-B', keys: { b: 'key-b-0123456789' } }),
  },
})
const GUARDS: MiddlewareHandler[] = [requireAuth(auth, [{ A: [] }]) as MiddlewareHandler, requireAuth(auth, [{ B: [] }]) as MiddlewareHandler]
const CREDENTIALS = { 'x-a': 'key-a-0123456789', 'x-b': 'key-b-0123456789' }
const GUARD_PATHS = ['*', '/r/*', '/r', '/r/', '/r/:p', '/r/:p{[0-9]+}', '/s/*', '/r/x/*', '/:any']
const ROUTE_PATHS = ['/r', '/r/', '/r/x', '/r/:id', '/r/:id{[0-9]+}', '/r/:id{[a-z]+}', '/r/:id/c', '/s/x', '/s/:a/:b', '/t', '/r/:rest{.+}']
const CANDIDATES = ['x1', '1', 'ABC', 'abc', 'a/b']

type Entry =
  | { kind: 'use'; path: string; guard: number }
  | { kind: 'route'; method: 'GET' | 'POST'; paths: string[]; guard: number | null }
  | { kind: 'sub'; mount: string; entries: Entry[] }

const use = fc.record({ kind: fc.constant('use' as const), path: fc.constantFrom(...GUARD_PATHS), guard: fc.nat(1) })
const route = fc.record({
  kind: fc.constant('route' as const),
  method: fc.constantFrom('GET' as const, 'POST' as const),
  paths: fc.uniqueArray(fc.constantFrom(...ROUTE_PATHS), { minLength: 1, maxLength: 2 }),
  guard: fc.option(fc.nat(1), { nil: null }),
})
const flat = fc.array(fc.oneof(use, route, route), { maxLength: 6 })
const entries = fc.array(fc.oneof(use, route, route, fc.record({ kind: fc.constant('sub' as const), mount: fc.constantFrom('/m', '/r', '/m/:k'), entries: flat })), { minLength: 1, maxLength: 8 })

function build(app: Hono, list: Entry[], prefix: string): void {
  for (const entry of list) {
    if (entry.kind === 'use') app.use(entry.path, GUARDS[entry.guard]!)
    else if (entry.kind === 'route') {
      for (const path of entry.paths) {
        const key = `${entry.method} ${(prefix + path).replace(/:(\w+)(\{[^}]*\}+)?/g, '{$1}')}`
        const handler = (c: { text(body: string): Response }) => c.text(key)
        if (entry.guard === null) app.on(entry.method, path, handler)
        else app.on(entry.method, path, GUARDS[entry.guard]!, handler)
      }
    } else {
      const sub = new Hono()
      build(sub, entry.entries, prefix + entry.mount.replace(/:(\w+)/g, '{$1}'))
      app.route(entry.mount, sub)
    }
  }
}

describe('openapiDocument(app) on Hono documents exactly what is enforced', () => {
  it('random apps: documented security ⇔ 401 without credentials, documented public ⇔ not 401', async () => {
    let probes = 0
    let partial = 0
    await fc.assert(
      fc.asyncProperty(entries, fc.boolean(), async (list, withBase) => {
        const root = new Hono()
        const app = withBase ? root.basePath('/api') : root
        build(app, list, withBase ? '/api' : '')
        const doc = openapiDocument(root, { info: { title: 't', version: '1' } })
        for (const [template, item] of Object.entries(doc.paths)) {
          for (const [method, operation] of Object.entries(item)) {
            const key = `${method.toUpperCase()} ${template}`
            // Probes: every parameter value whose request (with every credential) this route answers.
            const statuses: number[] = []
            for (const value of template.includes('{') ? CANDIDATES : ['']) {
              const candidate = template.replace(/\{\w+\}/g, value)
              const reached = await root.request(candidate, { method: method.toUpperCase(), headers: CREDENTIALS })
              if (reached.status !== 200 || (await reached.text()) !== key) continue
              probes++
              statuses.push((await root.request(candidate, { method: method.toUpperCase() })).status)
            }
            if (statuses.length === 0) continue // shadowed for every candidate: another route answers
            const documented = (operation.security?.length ?? 0) > 0
            // Documented security: every request of the route is refused without credentials. Public: at
            // least one is served (a guard that covers only some of a route's requests is not claimed).
            const ok = documented ? statuses.every((status) => status === 401) : statuses.some((status) => status !== 401)
            if (!statuses.every((status) => status === statuses[0])) partial++
            if (!ok) {
              throw new Error(`${key}: documented ${JSON.stringify(operation.security ?? 'public')}, got ${statuses.join(', ')}\n${JSON.stringify(list)}`)
            }
          }
        }
      }),
      { numRuns: 400 },
    )
    expect(probes).toBeGreaterThan(1000)
    // Routes whose requests differ (a narrower guard in front): they exist in the sample, and are documented public.
    expect(partial).toBeGreaterThan(0)
  }, 120_000)
})
