import { AuthspecError, checkOptions, operationIndexOf, optionNames, requireDpopOrigin, type Auth, type OperationIndex, type PreparedRequirement } from '@authspec/core'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { checkCoverage } from './coverage.js'
import { guardRequest, sendProblem, type Outcome } from './respond.js'
import { bindRoute, type Bound } from './route-binding.js'
import type { Layer, Route } from './route-pattern.js'
import { RouteMemo } from './route-memo.js'
import { findTargetAt, pathnameOf, stackOf, type Target } from './router-match.js'

/** Options of {@link enforceOpenAPI}. */
export interface EnforceOpenAPIOptions {
  /**
   * What a request gets when the route it reaches implements no operation of the document (a
   * path or method the document lacks, a pattern OpenAPI cannot say, a mounted Express app):
   * `'error'` passes an `ERR_AUTHSPEC_CONFIG` `AuthspecError` listing every such route of the
   * app to `next(err)` (a 500), so the gap is fixed, never served; `'deny'` answers 404
   * problem+json without running the route.
   * @default "error"
   */
  unboundRoutes?: 'error' | 'deny'
  /**
   * Routes deliberately outside the document (the docs page, `/openapi.json`): they run without
   * authentication. Called with the route's full path as registered (`/docs/:file`) and the method.
   */
  exclude?: (path: string, method: string) => boolean
  /** The environment passed to verifiers as `ctx.env`. @default undefined */
  env?: (req: Request) => unknown
}

const ENFORCE_OPTIONS = optionNames<EnforceOpenAPIOptions>()('unboundRoutes', 'exclude', 'env')

interface Prepared {
  readonly bound: Bound
  readonly prepared?: PreparedRequirement
  readonly facts?: Outcome
}

/**
 * One app-level middleware that enforces an OpenAPI document (an auth from `fromOpenAPI`) on an
 * Express 4 or 5 app: `app.use(enforceOpenAPI(auth))` before the routes. Each request gets the
 * requirement of the operation implemented by **the route the router will dispatch it to**,
 * found with the router's own layer matching (mounted routers included): every spelling the
 * router accepts (case, trailing slash, absolute-form targets, …) gets that route's requirement.
 * `req.auth` holds the success. Requests that match no route are left to Express (404, or its
 * automatic `OPTIONS` answer); an `all()` route on a documented path answers 405 with `Allow` for
 * a method the document lacks there; a CORS preflight (`OPTIONS` with
 * `Access-Control-Request-Method`) passes unauthenticated unless the document has an OPTIONS
 * operation for that path. A route that implements no operation is never public (see
 * `unboundRoutes`); `checkCoverage(app, auth)` lists such routes at start-up.
 */
export function enforceOpenAPI(auth: Auth, options: EnforceOpenAPIOptions = {}): RequestHandler {
  if (options !== null && typeof options === 'object') checkOptions('enforceOpenAPI', options, ENFORCE_OPTIONS)
  const index = operationIndexOf(auth)
  if (index === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: the auth must come from fromOpenAPI(document, …)')
  requireDpopOrigin(auth, 'enforceOpenAPI', index.operations.flatMap((operation) => operation.requirement.flatMap((alternative) => Object.keys(alternative))))
  const { unboundRoutes = 'error', exclude, env } = options
  if (unboundRoutes !== 'error' && unboundRoutes !== 'deny') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: unboundRoutes must be "error" or "deny"')
  if (exclude !== undefined && typeof exclude !== 'function') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: exclude must be a function (path, method) => boolean')
  if (env !== undefined && typeof env !== 'function') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: env must be a function of the request')
  // Route → its full pattern (mounts included; `undefined` when not a string path) → method →
  // what it gets: bound and prepared once per route, pattern and method, then two `Map` reads.
  const cache = new WeakMap<Route, Map<string | undefined, Map<string, Prepared>>>()
  const positions = new WeakMap<Layer[], number>()

  const prepare = (route: Route, pattern: string | undefined, method: string): Prepared => {
    let byPattern = cache.get(route)
    if (byPattern === undefined) cache.set(route, (byPattern = new Map()))
    let byMethod = byPattern.get(pattern)
    if (byMethod === undefined) byPattern.set(pattern, (byMethod = new Map()))
    let entry = byMethod.get(method)
    if (entry === undefined) {
      const bound = bindRoute(index as OperationIndex, route, pattern, method, exclude)
      if (bound.kind === 'operation') {
        const prepared = auth.prepare(bound.operation.requirement)
        entry = { bound, prepared, facts: { vary: prepared.vary.join(', '), protect: !prepared.isPublic } }
      } else entry = { bound }
      byMethod.set(method, entry)
    }
    return entry
  }

  const unbound = (req: Request, label: string): AuthspecError => {
    const all = checkCoverage(req.app, auth, { exclude }).unboundRoutes
    return new AuthspecError(
      'ERR_AUTHSPEC_CONFIG',
      `enforceOpenAPI: route ${label} implements no operation of the OpenAPI document; add to the document, or exclude, every such route: ${(all.length > 0 ? all : [label]).join('; ')}`,
    )
  }

  // The route found for `method pathname` (origin-form targets only), so the layers are matched
  // once per request by the router itself, not a second time here.
  const memo = new RouteMemo()
  const targetOf = (stack: Layer[], position: number, url: string, path: string, method: string): Target | undefined => {
    const key = url.charCodeAt(0) === 47 /* / */ ? `${method} ${path}` : undefined
    if (key !== undefined) {
      const known = memo.get(stack, key)
      if (known !== undefined) return known
    }
    const walked: Layer[][] = [stack]
    const found = findTargetAt(stack, position + 1, url, path, method, middleware, '', undefined, walked)
    if (key !== undefined && found !== undefined) memo.set(stack, key, found, walked)
    return found
  }

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    const stack = stackOf(req.app) ?? []
    let position = positions.get(stack)
    if (position === undefined || stack[position]?.handle !== middleware) {
      position = stack.findIndex((layer) => layer.handle === middleware)
      const layer = stack[position]
      if (layer === undefined || !(layer.slash === true || layer.regexp?.fast_slash === true)) {
        next(new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: mount it on the app itself, before the routes: app.use(enforceOpenAPI(auth))'))
        return
      }
      positions.set(stack, position)
    }
    const method = req.method
    // The pathname the router matched this request with (its parse, cached on `req`).
    const path = pathnameOf(req)
    const target = path === undefined ? undefined : targetOf(stack, position, req.url, path, method)
    if (target === undefined) return next() // no route: Express's 404 (or its OPTIONS answer)
    if (target.kind === 'opaque') {
      if (unboundRoutes === 'deny') return sendProblem(res, 404, 'Not Found', `${method} is not an operation of this API's document`)
      return next(unbound(req, target.label))
    }
    const { bound, prepared, facts } = prepare(target.route, target.pattern, method)
    if (bound.kind === 'excluded') return next()
    if (bound.kind === 'unbound') {
      if (unboundRoutes === 'deny') return sendProblem(res, 404, 'Not Found', `${method} is not an operation of this API's document`)
      return next(unbound(req, bound.label))
    }
    if (bound.kind === 'method') {
      if (method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) return next()
      return sendProblem(res, 405, 'Method Not Allowed', `the document has no ${method} operation for this path`, { Allow: bound.allow })
    }
    guardRequest(auth, prepared!, req, res, next, middleware, facts!, env)
  }
  return middleware
}
