import { coverageOf, type CheckCoverageOptions, type CoverageReport } from '@authspec/core/adapter'
import type { Auth } from '@authspec/core'
import type { Hono } from 'hono'
import { bindable, isMiddleware } from './route-binding.js'

export type { CheckCoverageOptions, CoverageReport }

/**
 * Compare a Hono app's routes with the OpenAPI document behind `auth` (from `fromOpenAPI`), with
 * the same route-to-operation binding `enforceOpenAPI` uses. Call it in a test or at start-up:
 * `const report = checkCoverage(app, auth); if (!report.ok) throw new Error(JSON.stringify(report))`.
 * `exclude` is `enforceOpenAPI`'s option of the same name; an unknown option is a config error.
 */
export function checkCoverage(app: Pick<Hono, 'routes'>, auth: Auth, options: CheckCoverageOptions = {}): CoverageReport {
  return coverageOf(auth, app.routes.filter((route) => !isMiddleware(route)).map(bindable), options)
}
