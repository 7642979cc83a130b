import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { OperationIndex } from './operation-index.js'
import { func } from '../internal/option-schema.js'

/** What an adapter's `checkCoverage(app, auth)` found. */
export interface CoverageReport {
  /** True when every route implements an operation and every operation has a route. */
  readonly ok: boolean
  /** Routes that implement no operation of the document (`"GET /files/*"`): `enforceOpenAPI` refuses them. */
  readonly unboundRoutes: readonly string[]
  /** Operations of the document that no route implements (`"DELETE /pets/{id}"`). */
  readonly unimplementedOperations: readonly string[]
}

/** Options of an adapter's `checkCoverage`. */
export interface CheckCoverageOptions {
  /** `enforceOpenAPI`'s option of the same name: routes deliberately outside the document. */
  exclude?: (path: string, method: string) => boolean
}

const COVERAGE_OPTIONS = optionNames<CheckCoverageOptions>()('exclude')

/** Check `checkCoverage`'s options (unknown names, an `exclude` that is not a function). Throws `ERR_AUTHSPEC_CONFIG`. */
export function checkCoverageOptions(options: CheckCoverageOptions): CheckCoverageOptions {
  if (options === null || typeof options !== 'object') throw configError('checkCoverage: options must be an object')
  checkOptions('checkCoverage', options, COVERAGE_OPTIONS)
  if (options.exclude !== undefined) func('checkCoverage: exclude', options.exclude, 'a function (path, method) => boolean')
  return options
}

/** The report, from the `"METHOD /template"` keys of the operations routes implement and the unbound routes found. */
export function coverageReport(index: OperationIndex, implemented: ReadonlySet<string>, unbound: ReadonlySet<string>): CoverageReport {
  const unimplementedOperations = index.operations.map((o) => `${o.method} ${o.template}`).filter((key) => !implemented.has(key))
  return { ok: unbound.size === 0 && unimplementedOperations.length === 0, unboundRoutes: [...unbound], unimplementedOperations }
}
