import { coverageOf, type CheckCoverageOptions, type CoverageReport } from '@authspec/core/adapter'
import { AuthspecError, type Auth } from '@authspec/core'
import { bindable } from './route-binding.js'
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
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'checkCoverage: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  const opaque: string[] = []
  listRoutes(stack, '', found, opaque)
  return coverageOf(auth, found.map(({ route, pattern }) => bindable(route, pattern)), options, opaque)
}
