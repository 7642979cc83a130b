import { AuthspecError, checkOptions, operationIndexOf, optionNames, type Auth } from '@authspec/core'
import type { Hono } from 'hono'
import { bindRoute, isMiddleware } from './route-binding.js'

/** What {@link checkCoverage} found. */
export interface CoverageReport {
  /** True when every route implements an operation and every operation has a route. */
  readonly ok: boolean
  /** Routes that implement no operation of the document (`"GET /files/*"`): `enforceOpenAPI` refuses them. */
  readonly unboundRoutes: readonly string[]
  /** Operations of the document that no route implements (`"DELETE /pets/{id}"`). */
  readonly unimplementedOperations: readonly string[]
}

/** Options of {@link checkCoverage}. */
export interface CheckCoverageOptions {
  /** `enforceOpenAPI`'s option of the same name: routes deliberately outside the document. */
  exclude?: (path: string, method: string) => boolean
}

const COVERAGE_OPTIONS = optionNames<CheckCoverageOptions>()('exclude')

/**
 * Compare a Hono app's routes with the OpenAPI document behind `auth` (from `fromOpenAPI`), with
 * the same route-to-operation binding `enforceOpenAPI` uses. Call it in a test or at start-up:
 * `const report = checkCoverage(app, auth); if (!report.ok) throw new Error(JSON.stringify(report))`.
 * `exclude` is `enforceOpenAPI`'s option of the same name; an unknown option is a config error.
 */
export function checkCoverage(app: Pick<Hono, 'routes'>, auth: Auth, options: CheckCoverageOptions = {}): CoverageReport {
  if (options === null || typeof options !== 'object') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: options must be an object')
  checkOptions('checkCoverage', options, COVERAGE_OPTIONS)
  if (options.exclude !== undefined && typeof options.exclude !== 'function') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: exclude must be a function (path, method) => boolean')
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: the auth must come from fromOpenAPI(document, …)')
  const methods = [...new Set(index.operations.map((operation) => operation.method))]
  const implemented = new Set<string>()
  const unbound = new Set<string>()
  for (const route of app.routes) {
    if (isMiddleware(route)) continue
    let bound = false
    for (const method of route.method === 'ALL' ? methods : [route.method]) {
      const binding = bindRoute(index, route, method, options.exclude)
      if (binding.kind === 'excluded') bound = true
      if (binding.kind !== 'operation') continue
      bound = true
      implemented.add(`${binding.operation.method} ${binding.operation.template}`)
    }
    if (!bound) unbound.add(`${route.method} ${route.path}`)
  }
  const unimplementedOperations = index.operations.map((o) => `${o.method} ${o.template}`).filter((key) => !implemented.has(key))
  return { ok: unbound.size === 0 && unimplementedOperations.length === 0, unboundRoutes: [...unbound], unimplementedOperations }
}
