import { AuthspecError, checkCoverageOptions, coverageReport, operationIndexOf, type Auth, type CheckCoverageOptions, type CoverageReport } from '@authspec/core'
import { bindRoute, isAll, routeMethods } from './route-binding.js'
import { listRoutes } from './route-list.js'
import type { Route } from './route-pattern.js'
import { stackOf } from './router-match.js'

export type { CheckCoverageOptions, CoverageReport }

/**
 * Compare an Express app's (or router's) routes with the OpenAPI document behind `auth` (from
 * `fromOpenAPI`), with the same route-to-operation binding `enforceOpenAPI` uses, mounted routers
 * included. Call it in a test or at start-up:
 * `const report = checkCoverage(app, auth); if (!report.ok) throw new Error(JSON.stringify(report))`.
 * `exclude` is `enforceOpenAPI`'s option of the same name; an unknown option is a config error.
 */
export function checkCoverage(app: unknown, auth: Auth, options: CheckCoverageOptions = {}): CoverageReport {
  const { exclude } = checkCoverageOptions(options)
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: the auth must come from fromOpenAPI(document, …)')
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  const opaque: string[] = []
  listRoutes(stack, '', found, opaque)
  const unbound = new Set<string>(opaque)
  const methods = [...new Set(index.operations.map((operation) => operation.method))]
  const implemented = new Set<string>()
  for (const { route, pattern } of found) {
    const all = isAll(route)
    const own = all ? methods : routeMethods(route)
    let bound = !all
    for (const method of own) {
      const binding = bindRoute(index, route, pattern, method, exclude)
      if (binding.kind === 'operation') {
        implemented.add(`${binding.operation.method} ${binding.operation.template}`)
        bound = true
      } else if (binding.kind === 'excluded') bound = true
      else if (binding.kind === 'unbound' && !all) unbound.add(`${method} ${pattern ?? String(route.path)}`)
    }
    if (!bound) unbound.add(`ALL ${pattern ?? String(route.path)}`)
  }
  return coverageReport(index, implemented, unbound)
}
