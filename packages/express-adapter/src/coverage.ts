import { AuthspecError, operationIndexOf, type Auth } from '@authspec/core'
import { bindRoute, isAll, routeMethods } from './route-binding.js'
import { mountPrefix, v4Alternatives, type Layer, type Route } from './route-pattern.js'
import { isMountedApp, routerStack, stackOf } from './router-match.js'

/** What {@link checkCoverage} found. */
export interface CoverageReport {
  /** True when every route implements an operation and every operation has a route. */
  readonly ok: boolean
  /** Routes that implement no operation of the document (`"GET /files/*splat"`): `enforceOpenAPI` refuses them. */
  readonly unboundRoutes: readonly string[]
  /** Operations of the document that no route implements (`"DELETE /pets/{id}"`). */
  readonly unimplementedOperations: readonly string[]
}

/** The string patterns of a layer (a route's paths, or a mount's), `undefined` where one is not a string. */
function patternsOf(layer: Layer): (string | undefined)[] {
  if (layer.route !== undefined) {
    const path = layer.route.path
    return (Array.isArray(path) ? (path.flat(Infinity) as unknown[]) : [path]).map((p) => (typeof p === 'string' ? p : undefined))
  }
  if (layer.rawPath !== undefined) {
    const raw = layer.rawPath
    return (Array.isArray(raw) ? (raw as unknown[]) : [raw]).map((p) => (typeof p === 'string' ? mountPrefix(p) : undefined))
  }
  return v4Alternatives(layer, true)?.map((a) => a.pattern) ?? [undefined]
}

function routes(stack: readonly Layer[], prefix: string | undefined, out: { route: Route; pattern: string | undefined }[], opaque: string[]): void {
  for (const layer of stack) {
    for (const pattern of patternsOf(layer)) {
      const full = prefix === undefined || pattern === undefined ? undefined : prefix + pattern
      if (layer.route !== undefined) out.push({ route: layer.route, pattern: full })
      else if (isMountedApp(layer)) opaque.push(`an Express app mounted at ${full ?? '(a pattern)'}`)
      else {
        const inner = routerStack(layer.handle)
        if (inner !== undefined && inner !== stack) routes(inner, full, out, opaque)
      }
    }
  }
}

/**
 * Compare an Express app's (or router's) routes with the OpenAPI document behind `auth` (from
 * `fromOpenAPI`), with the same route-to-operation binding `enforceOpenAPI` uses, mounted routers
 * included. Call it in a test or at start-up:
 * `const report = checkCoverage(app, auth); if (!report.ok) throw new Error(JSON.stringify(report))`.
 * `exclude` is `enforceOpenAPI`'s option of the same name.
 */
export function checkCoverage(app: unknown, auth: Auth, options: { exclude?: (path: string, method: string) => boolean } = {}): CoverageReport {
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: the auth must come from fromOpenAPI(document, …)')
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  const opaque: string[] = []
  routes(stack, '', found, opaque)
  const unbound = new Set<string>(opaque)
  const methods = [...new Set(index.operations.map((operation) => operation.method))]
  const implemented = new Set<string>()
  for (const { route, pattern } of found) {
    const all = isAll(route)
    const own = all ? methods : routeMethods(route)
    let bound = !all
    for (const method of own) {
      const binding = bindRoute(index, route, pattern, method, options.exclude)
      if (binding.kind === 'operation') {
        implemented.add(`${binding.operation.method} ${binding.operation.template}`)
        bound = true
      } else if (binding.kind === 'excluded') bound = true
      else if (binding.kind === 'unbound' && !all) unbound.add(`${method} ${pattern ?? String(route.path)}`)
    }
    if (!bound) unbound.add(`ALL ${pattern ?? String(route.path)}`)
  }
  const unimplementedOperations = index.operations.map((o) => `${o.method} ${o.template}`).filter((key) => !implemented.has(key))
  return { ok: unbound.size === 0 && unimplementedOperations.length === 0, unboundRoutes: [...unbound], unimplementedOperations }
}
