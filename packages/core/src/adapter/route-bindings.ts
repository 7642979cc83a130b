import type { Auth } from '../create-auth.js'
import type { PreparedRequirement } from '../requirement.js'
import { bindRoute, type BindableRoute, type Bound } from './binding.js'
import { methodNotInDocument, notInDocument, type ProblemAnswer, type ResolvedEnforcement } from './enforcement.js'

/**
 * What `enforceOpenAPI` does with a request: authenticate it against the operation's requirement
 * (`vary`: its `Vary`, joined, for frameworks that set it as one string); let it go on (an
 * excluded route); answer a problem (`preflight`: unless it is a CORS preflight, `OPTIONS` with
 * `Access-Control-Request-Method`, which goes on); or fail it as a route outside the document.
 */
export type EnforcementStep =
  | { readonly kind: 'guard'; readonly prepared: PreparedRequirement; readonly vary: string }
  | { readonly kind: 'next' }
  | { readonly kind: 'answer'; readonly answer: ProblemAnswer; readonly preflight: boolean }
  | { readonly kind: 'error'; readonly label: string }

/** What a route gives the requests of one method: bound to the document and prepared once. */
export interface BoundRoute {
  readonly bound: Bound
  /** What the request gets, decided once. */
  readonly step: EnforcementStep
}

const NEXT: EnforcementStep = Object.freeze({ kind: 'next' })

/** The step of a request of `method` to a route bound as `bound`, under `enforceOpenAPI`'s `unboundRoutes`. */
function stepOf(bound: Bound, method: string, prepared: PreparedRequirement | undefined, vary: string, unboundRoutes: 'error' | 'deny'): EnforcementStep {
  if (bound.kind === 'operation') return { kind: 'guard', prepared: prepared!, vary }
  if (bound.kind === 'excluded') return NEXT
  if (bound.kind === 'method') return { kind: 'answer', answer: methodNotInDocument(method, bound.allow), preflight: method === 'OPTIONS' }
  return unboundRoutes === 'deny' ? { kind: 'answer', answer: notInDocument(method), preflight: false } : { kind: 'error', label: bound.label }
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
      const { index, exclude, unboundRoutes } = this.#enforcement
      const bound = bindRoute(index, this.#describe(route, pattern), method, exclude)
      const prepared = bound.kind === 'operation' ? this.#auth.prepare(bound.operation.requirement) : undefined
      entry = { bound, step: stepOf(bound, method, prepared, prepared?.vary.join(', ') ?? '', unboundRoutes) }
      byMethod.set(method, entry)
    }
    return entry
  }

  /** The step of a request of `method` reaching what the adapter cannot bind (a mounted app it cannot see into), named `label`. */
  outside(method: string, label: string): EnforcementStep {
    return stepOf({ kind: 'unbound', label }, method, undefined, '', this.#enforcement.unboundRoutes)
  }
}
