import { AuthspecError, checkCoverageOptions, coverageReport, operationIndexOf, type Auth, type CheckCoverageOptions, type CoverageReport } from '@authspec/core'
import type { Hono } from 'hono'
import { bindRoute, isMiddleware } from './route-binding.js'

export type { CheckCoverageOptions, CoverageReport }

/**
 * Compare a Hono app's routes with the OpenAPI document behind `auth` (from `fromOpenAPI`), with
 * the same route-to-operation binding `enforceOpenAPI` uses. Call it in a test or at start-up:
 * `const report = checkCoverage(app, auth); if (!report.ok) throw new Error(JSON.stringify(report))`.
 * `exclude` is `enforceOpenAPI`'s option of the same name; an unknown option is a config error.
 */
export function checkCoverage(app: Pick<Hono, 'routes'>, auth: Auth, options: CheckCoverageOptions = {}): CoverageReport {
  const { exclude } = checkCoverageOptions(options)
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: the auth must come from fromOpenAPI(document, …)')
  const methods = [...new Set(index.operations.map((operation) => operation.method))]
  const implemented = new Set<string>()
  const unbound = new Set<string>()
  for (const route of app.routes) {
    if (isMiddleware(route)) continue
    let bound = false
    for (const method of route.method === 'ALL' ? methods : [route.method]) {
      const binding = bindRoute(index, route, method, exclude)
      if (binding.kind === 'excluded') bound = true
      if (binding.kind !== 'operation') continue
      bound = true
      implemented.add(`${binding.operation.method} ${binding.operation.template}`)
    }
    if (!bound) unbound.add(`${route.method} ${route.path}`)
  }
  return coverageReport(index, implemented, unbound)
}
