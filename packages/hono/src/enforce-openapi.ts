import { AuthspecError, checkOptions, operationIndexOf, optionNames, type Auth, type OperationIndex, type PreparedRequirement } from '@authspec/core'
import type { MiddlewareHandler } from 'hono'
import type { RouterRoute } from 'hono/types'
import { guardRequest, type AuthEnv } from './require-auth.js'
import { bindRoute, enforcers, isMiddleware, type Bound } from './route-binding.js'

/** Options of {@link enforceOpenAPI}. */
export interface EnforceOpenAPIOptions {
  /**
   * What a request gets when the route it reaches implements no operation of the document (a
   * path or method the document lacks, a wildcard route): `'error'` throws an
   * `ERR_AUTHSPEC_CONFIG` `AuthspecError` naming the route (Hono's error path, a 500) so the gap
   * is fixed, never served; `'deny'` answers 404 problem+json without running the route.
   * @default "error"
   */
  unboundRoutes?: 'error' | 'deny'
  /**
   * Routes deliberately outside the document (the docs page, `/openapi.json`): they run without
   * authentication. Called with the route's path as registered (`/docs/:file`) and its method.
   */
  exclude?: (path: string, method: string) => boolean
}

const ENFORCE_OPTIONS = optionNames<EnforceOpenAPIOptions>()('unboundRoutes', 'exclude')

interface Prepared {
  readonly bound: Bound
  readonly prepared?: PreparedRequirement
}

function problem(status: number, title: string, detail: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, detail }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })
}

/**
 * One app-level middleware that enforces an OpenAPI document (an auth from `fromOpenAPI`) on a
 * Hono app: `app.use('*', enforceOpenAPI(auth))` before the routes. Each request gets the
 * requirement of the operation that **the route Hono dispatches it to** implements (the route's
 * pattern, `app.route()` mounts and `basePath` included, mapped to the document's template);
 * the URL is never read a second time. `c.var.auth` holds the success. Requests that match no
 * route are left to Hono's 404; an `all()` route on a documented path answers 405 with `Allow`
 * for a method the document lacks there; a CORS preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) passes unauthenticated unless the document has an OPTIONS
 * operation for that path. A route that implements no operation is never public (see
 * `unboundRoutes`); `checkCoverage(app, auth)` lists such routes at start-up.
 */
export function enforceOpenAPI(auth: Auth, options: EnforceOpenAPIOptions = {}): MiddlewareHandler<AuthEnv> {
  if (options !== null && typeof options === 'object') checkOptions('enforceOpenAPI', options, ENFORCE_OPTIONS)
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: the auth must come from fromOpenAPI(document, …)')
  const { unboundRoutes = 'error', exclude } = options
  if (unboundRoutes !== 'error' && unboundRoutes !== 'deny') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: unboundRoutes must be "error" or "deny"')
  if (exclude !== undefined && typeof exclude !== 'function') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: exclude must be a function (path, method) => boolean')
  const cache = new WeakMap<RouterRoute, Map<string, Prepared>>()

  const prepare = (route: RouterRoute, method: string): Prepared => {
    let byMethod = cache.get(route)
    if (byMethod === undefined) cache.set(route, (byMethod = new Map()))
    let entry = byMethod.get(method)
    if (entry === undefined) {
      const bound = bindRoute(index as OperationIndex, route, method, exclude)
      entry = bound.kind === 'operation' ? { bound, prepared: auth.prepare(bound.operation.requirement) } : { bound }
      byMethod.set(method, entry)
    }
    return entry
  }

  const enforcer: MiddlewareHandler<AuthEnv> = async (c, next) => {
    const routes = c.req.matchedRoutes
    const method = c.req.method
    let entry: Prepared | undefined
    for (let i = c.req.routeIndex + 1; i < routes.length; i++) {
      const route = routes[i]!
      if (isMiddleware(route)) continue
      entry = prepare(route, method)
      break
    }
    const preflight = method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined
    if (entry === undefined) return next() // no route: Hono's 404 (or what a middleware answers)
    const { bound, prepared } = entry
    if (bound.kind === 'excluded') return next()
    if (bound.kind === 'unbound') {
      if (unboundRoutes === 'deny') return problem(404, 'Not Found', `${method} is not an operation of this API's document`)
      throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `enforceOpenAPI: route ${bound.label} implements no operation of the OpenAPI document; add it to the document, or exclude it (checkCoverage(app, auth) lists every such route)`)
    }
    if (bound.kind === 'method') {
      if (preflight) return next()
      return problem(405, 'Method Not Allowed', `the document has no ${method} operation for this path`, { allow: bound.allow })
    }
    return guardRequest(auth, prepared!, c, next, enforcer)
  }
  enforcers.add(enforcer)
  return enforcer
}
