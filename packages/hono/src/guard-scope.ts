import type { RouteGuard } from '@authspec/core/adapter'
import type { RouterRoute } from 'hono/types'
import { TrieRouter } from 'hono/router/trie-router'
import { guards } from './guard-registry.js'
import { isMiddleware, unwrap } from './route-binding.js'

/** Parameter values tried for each route: mixed, numeric, upper-case, lower-case, multi-segment (for `{.+}`). */
const CANDIDATES = ['x1', '1', 'ABC', 'abc', 'a/b']

/** Concrete request paths for a route path: each parameter gets the same candidate value. */
function samples(path: string): string[] {
  if (!path.includes(':')) return [path]
  return CANDIDATES.map((value) => path.replace(/:[^/]+?(\{.*?\})?(?=\/|$)/g, value))
}

/**
 * The guards (`requireAuth`, on routes or through `app.use`) that run for **every** request a
 * route answers, found with Hono's own matching: each sample request is matched by a router
 * holding all the app's routes, and the guards matched before the route are kept when they match
 * every sample the route accepts. A guard that runs for only some of the route's requests (a
 * narrower regex parameter) is not listed: the document never claims what is not enforced.
 */
export class GuardScope {
  readonly #router = new TrieRouter<RouterRoute>()
  readonly #order = new Map<RouterRoute, number>()

  constructor(routes: readonly RouterRoute[]) {
    routes.forEach((route, i) => {
      this.#router.add(route.method, route.path, route)
      this.#order.set(route, i)
    })
  }

  /**
   * The guards that run for every request `route` answers (`method` as registered), in order:
   * those matched before its handler. Requests an earlier route answers are that route's;
   * `undefined` when an earlier route answers every sample (this one is never reached).
   */
  applied(route: RouterRoute, method: string): RouteGuard[] | undefined {
    let common: RouterRoute[] | undefined
    let shadowed = false
    for (const path of samples(route.path)) {
      const matched = this.#router.match(method, path)[0].map(([r]) => r)
      if (!matched.includes(route)) continue // the route does not answer this sample
      // The first handler that cannot call next() (Hono's own rule: fewer than two parameters) answers.
      // When it belongs to another route, this sample is that route's request, not this one's.
      const answering = matched.findIndex((r) => !isMiddleware(r) && (unwrap(r.handler) as (...args: unknown[]) => unknown).length < 2)
      const answer = matched[answering]
      if (answer !== undefined && (answer.method !== route.method || answer.path !== route.path)) {
        shadowed = true
        continue
      }
      const before = matched.slice(0, answering === -1 ? matched.length : answering).filter((r) => guards.has(unwrap(r.handler) as object))
      // The same guard function, wherever it is registered, is the same requirement.
      common = common === undefined ? before : common.filter((r) => before.some((b) => unwrap(b.handler) === unwrap(r.handler)))
    }
    if (common === undefined && shadowed) return undefined
    // No sample fits the route's regex: at least its own guards (registered with it) run for it.
    common ??= [...this.#order.keys()].filter((r) => r.method === route.method && r.path === route.path && this.#order.get(r)! < this.#order.get(route)! && guards.has(unwrap(r.handler) as object))
    return common.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!).map((r) => guards.get(unwrap(r.handler) as object)!)
  }
}
