import type { Auth } from '../create-auth.js'
import { AuthspecError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { OperationIndex } from '../openapi/operation-index.js'
import { documentIndex } from './binding.js'
import { func, oneOf } from '../internal/option-schema.js'

/** Options of an adapter's `enforceOpenAPI`. */
export interface EnforceOpenAPIOptions {
  /**
   * What a request gets when the route it reaches implements no operation of the document (a
   * path or method the document lacks, a wildcard route, a pattern OpenAPI cannot say):
   * `'error'` fails it with an `ERR_AUTHSPEC_CONFIG` `AuthspecError` naming the route (the
   * framework's error path, a 500), so the gap is fixed, never served; `'deny'` answers 404
   * problem+json without running the route.
   * @default "error"
   */
  unboundRoutes?: 'error' | 'deny'
  /**
   * Routes deliberately outside the document (the docs page, `/openapi.json`): they run without
   * authentication. Called with the route's full path as registered (`/docs/:file`) and its method.
   */
  exclude?: (path: string, method: string) => boolean
}

/** The option names of {@link EnforceOpenAPIOptions}, for adapters that add their own. */
export const ENFORCE_OPTIONS = optionNames<EnforceOpenAPIOptions>()('unboundRoutes', 'exclude')

/** `enforceOpenAPI`'s options, checked, with the document index of the auth. */
export interface ResolvedEnforcement {
  readonly index: OperationIndex
  readonly unboundRoutes: 'error' | 'deny'
  readonly exclude: ((path: string, method: string) => boolean) | undefined
}

/** Check `enforceOpenAPI`'s options and auth now: config errors at start-up, never at request time. */
export function resolveEnforcement(auth: Auth, options: EnforceOpenAPIOptions, known: readonly string[] = ENFORCE_OPTIONS): ResolvedEnforcement {
  if (options !== null && typeof options === 'object') checkOptions('enforceOpenAPI', options, known)
  const index = documentIndex(auth, 'enforceOpenAPI')
  const { unboundRoutes = 'error', exclude } = options
  oneOf('enforceOpenAPI: unboundRoutes', unboundRoutes, ['error', 'deny'])
  if (exclude !== undefined) func('enforceOpenAPI: exclude', exclude, 'a function (path, method) => boolean')
  return { index, unboundRoutes, exclude }
}

/** A problem+json answer that is not an authentication failure. */
export interface ProblemAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}): ProblemAnswer {
  return { status, headers: { 'Content-Type': 'application/problem+json', ...headers }, body: JSON.stringify({ type: 'about:blank', title, status, detail }) }
}

/** 404 for a route outside the document (`unboundRoutes: 'deny'`). */
export function notInDocument(method: string): ProblemAnswer {
  return problem(404, 'Not Found', `${method} is not an operation of this API's document`)
}

/** 405 with `Allow` for an every-method route on a documented path whose method the document lacks. */
export function methodNotInDocument(method: string, allow: string): ProblemAnswer {
  return problem(405, 'Method Not Allowed', `the document has no ${method} operation for this path`, { Allow: allow })
}

/** The error of a request that reached a route implementing no operation (`unboundRoutes: 'error'`); `all`: every such route of the app, when known. */
export function unboundRouteError(label: string, all: readonly string[] = []): AuthspecError {
  const list = all.length > 0 ? `; add to the document, or exclude, every such route: ${all.join('; ')}` : '; add it to the document, or exclude it (checkCoverage(app, auth) lists every such route)'
  return new AuthspecError('ERR_AUTHSPEC_CONFIG', `enforceOpenAPI: route ${label} implements no operation of the OpenAPI document${list}`)
}
