import type { Auth } from '../create-auth.js'
import { configError } from '../errors.js'
import { checkCoverageOptions, coverageReport, type CheckCoverageOptions, type CoverageReport } from '../openapi/coverage.js'
import { operationIndexOf, type DocumentOperation, type OperationIndex } from '../openapi/operation-index.js'

/** A framework route, as an adapter describes it for binding to the document's operations. */
export interface BindableRoute {
  /** The path as registered, mounts included (`/docs/:file`), given to `exclude`; `undefined` when it is not a string. */
  readonly path: string | undefined
  /** The path as an OpenAPI template (`/docs/{file}`), or `undefined` when OpenAPI cannot say it. */
  readonly template: string | undefined
  /** The methods it answers (upper case), or `'ALL'` for an every-method route. */
  readonly methods: readonly string[] | 'ALL'
  /** The path as reports show it: `path`, or the framework's own rendering of a non-string path. */
  readonly display: string
}

/** How errors name a route: `"GET /files/*"`, `"GET,POST /pets"`, `"ALL /admin"`. */
export function routeLabel(route: BindableRoute): string {
  return `${route.methods === 'ALL' ? 'ALL' : route.methods.join(',')} ${route.display}`
}

/** What a route gives a request of one method. */
export type Bound =
  | { readonly kind: 'operation'; readonly operation: DocumentOperation }
  | { readonly kind: 'method'; readonly allow: string }
  | { readonly kind: 'unbound'; readonly label: string }
  | { readonly kind: 'excluded' }

/** The method `exclude` is asked with: the route's own (`GET` for a `HEAD` request a GET route answers). */
function ownMethod(route: BindableRoute, method: string): string {
  if (route.methods === 'ALL' || route.methods.includes(method)) return method
  return method === 'HEAD' && route.methods.includes('GET') ? 'GET' : method
}

/** Bind a route to the operation it implements for a request of `method`. */
export function bindRoute(index: OperationIndex, route: BindableRoute, method: string, exclude?: (path: string, method: string) => boolean): Bound {
  if (route.path !== undefined && exclude?.(route.path, ownMethod(route, method)) === true) return { kind: 'excluded' }
  if (route.template === undefined) return { kind: 'unbound', label: routeLabel(route) }
  const binding = index.bind(method, route.template)
  if (binding.kind === 'operation') return binding
  if (binding.kind === 'method' && route.methods === 'ALL') return { kind: 'method', allow: binding.allow.join(', ') }
  return { kind: 'unbound', label: routeLabel(route) }
}

/** The document index behind an auth from `fromOpenAPI`, or a config error naming `where`. */
export function documentIndex(auth: Auth, where: string): OperationIndex {
  const index = operationIndexOf(auth)
  if (index === undefined) throw configError(`${where}: the auth must come from fromOpenAPI(document, …)`)
  return index
}

/**
 * Compare an app's routes with the document behind `auth`, with the binding `enforceOpenAPI`
 * uses: routes that implement no operation, operations no route implements. `unbound`: routes
 * the adapter already knows cannot be bound (a mounted app it cannot see into).
 */
export function coverageOf(auth: Auth, routes: Iterable<BindableRoute>, options: CheckCoverageOptions = {}, unbound: Iterable<string> = []): CoverageReport {
  const { exclude } = checkCoverageOptions(options)
  const index = documentIndex(auth, 'checkCoverage')
  const methods = [...new Set(index.operations.map((operation) => operation.method))]
  const implemented = new Set<string>()
  const missing = new Set<string>(unbound)
  for (const route of routes) {
    const all = route.methods === 'ALL'
    let bound = false
    for (const method of all ? methods : route.methods) {
      const binding = bindRoute(index, route, method, exclude)
      if (binding.kind === 'operation') implemented.add(`${binding.operation.method} ${binding.operation.template}`)
      if (binding.kind === 'operation' || binding.kind === 'excluded') bound = true
      else if (!all) missing.add(`${method} ${route.display}`)
    }
    if (all && !bound) missing.add(`ALL ${route.display}`)
  }
  return coverageReport(index, implemented, missing)
}
