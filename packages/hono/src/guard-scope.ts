import { guardsOnEverySample, type RouteGuard, type SampleRun } from '@authspec/core/adapter'
import type { RouterRoute } from 'hono/types'
import { TrieRouter } from 'hono/router/trie-router'
import { guards } from './guard-registry.js'
import { isMiddleware, unwrap } from './route-binding.js'

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
    // The same guard function, wherever it is registered, is the same requirement.
    const common = guardsOnEverySample(route.path, 'braces', (path) => this.#before(route, method, path), (a, b) => unwrap(a.handler) === unwrap(b.handler))
    if (common === 'shadowed') return undefined
    // No sample fits the route's regex: at least its own guards (registered with it) run for it.
    const applied = common ?? [...this.#order.keys()].filter((r) => r.method === route.method && r.path === route.path && this.#order.get(r)! < this.#order.get(route)! && guards.has(unwrap(r.handler) as object))
    return applied.sort((a, b) => this.#order.get(a)! - this.#order.get(b)!).map((r) => guards.get(unwrap(r.handler) as object)!)
  }

  /** The guard routes a sample request to `path` runs through before `route`'s handler (see {@link SampleRun}). */
  #before(route: RouterRoute, method: string, path: string): SampleRun<RouterRoute> {
    const matched = this.#router.match(method, path)[0].map(([r]) => r)
    if (!matched.includes(route)) return undefined // the route does not answer this sample
    // The first handler that cannot call next() (Hono's own rule: fewer than two parameters) answers.
    // When it belongs to another route, this sample is that route's request, not this one's.
    const answering = matched.findIndex((r) => !isMiddleware(r) && (unwrap(r.handler) as (...args: unknown[]) => unknown).length < 2)
    const answer = matched[answering]
    if (answer !== undefined && (answer.method !== route.method || answer.path !== route.path)) return 'shadowed'
    return matched.slice(0, answering === -1 ? matched.length : answering).filter((r) => guards.has(unwrap(r.handler) as object))
  }
}
