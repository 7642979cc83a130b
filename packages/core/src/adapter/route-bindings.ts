import type { Auth } from '../create-auth.js'
import type { PreparedRequirement } from '../requirement.js'
import { bindRoute, type BindableRoute, type Bound } from './binding.js'
import type { ResolvedEnforcement } from './enforcement.js'

/** What a route gives the requests of one method: bound to the document and prepared once. */
export interface BoundRoute {
  readonly bound: Bound
  /** For an operation: its requirement, prepared. */
  readonly prepared: PreparedRequirement | undefined
  /** The requirement's `Vary`, joined (for frameworks that set it as one string). */
  readonly vary: string
}

/**
 * `enforceOpenAPI`'s memory of routes: each route (and, where a router is mounted at several
 * paths, each of its full patterns) is bound to the document's operation once per method, so a
 * request costs two or three `Map` reads. Weak on routes: apps may be dropped.
 */
export class RouteBindings<R extends object> {
  readonly #cache = new WeakMap<R, Map<string | undefined, Map<string, BoundRoute>>>()
  readonly #auth: Auth
  readonly #enforcement: ResolvedEnforcement
  readonly #describe: (route: R, pattern: string | undefined) => BindableRoute

  /** `describe`: the route as the core binds it (its full pattern, when the adapter knows it). */
  constructor(auth: Auth, enforcement: ResolvedEnforcement, describe: (route: R, pattern: string | undefined) => BindableRoute) {
    this.#auth = auth
    this.#enforcement = enforcement
    this.#describe = describe
  }

  /** The binding of `route` (at `pattern`) for a request of `method`. */
  get(route: R, method: string, pattern?: string): BoundRoute {
    let byPattern = this.#cache.get(route)
    if (byPattern === undefined) this.#cache.set(route, (byPattern = new Map()))
    let byMethod = byPattern.get(pattern)
    if (byMethod === undefined) byPattern.set(pattern, (byMethod = new Map()))
    let entry = byMethod.get(method)
    if (entry === undefined) {
      const { index, exclude } = this.#enforcement
      const bound = bindRoute(index, this.#describe(route, pattern), method, exclude)
      const prepared = bound.kind === 'operation' ? this.#auth.prepare(bound.operation.requirement) : undefined
      entry = { bound, prepared, vary: prepared?.vary.join(', ') ?? '' }
      byMethod.set(method, entry)
    }
    return entry
  }
}
