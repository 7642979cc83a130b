import { ENFORCE_OPTIONS, nodeGuard, resolveEnforcement, RouteBindings, RouteMemo, runNodeGuard, unboundRouteError, writeProblem } from '@authspec/core/adapter'
import type { EnforceOpenAPIOptions as CoreEnforceOptions, NodeGuard, NodeGuardOptions } from '@authspec/core/adapter'
import { AuthspecError, type Auth } from '@authspec/core'
import { optionNames, requireDpopOrigin } from '@authspec/core/adapter'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { recordSuccess } from './auth-results.js'
import { checkCoverage } from './coverage.js'
import { clientOf } from './require-auth.js'
import { bindable } from './route-binding.js'
import type { Layer, Route } from './route-pattern.js'
import { findTargetAt, pathnameOf, stackOf, type Target } from './router-match.js'

/** Options of {@link enforceOpenAPI}: the core's, and `env`, the environment passed to verifiers as `ctx.env`. */
export interface EnforceOpenAPIOptions extends CoreEnforceOptions, NodeGuardOptions<Request> {}

const OPTIONS = optionNames<EnforceOpenAPIOptions>()(...ENFORCE_OPTIONS, 'env')

/** The resolved options of one middleware and its per-app memory. */
interface Enforcer {
  /** The guard of the middleware: its auth, `env`, and its identity (found in the stack by it). */
  readonly site: NodeGuard<Request>
  readonly exclude: CoreEnforceOptions['exclude']
  readonly bindings: RouteBindings<Route>
  /** Where the middleware sits in each app's stack. */
  readonly positions: WeakMap<Layer[], number>
  /** The route found for `method pathname` (origin-form targets only). */
  readonly memo: RouteMemo<Target, Layer[]>
}

/** Check the options (throws `ERR_AUTHSPEC_CONFIG`) of the middleware `middleware`. */
function resolveEnforcer(auth: Auth, options: EnforceOpenAPIOptions, middleware: RequestHandler): Enforcer {
  const enforcement = resolveEnforcement(auth, options, OPTIONS)
  const { index, exclude } = enforcement
  requireDpopOrigin(auth, 'enforceOpenAPI', index.operations.flatMap((operation) => operation.requirement.flatMap((alternative) => Object.keys(alternative))))
  const site = nodeGuard<Request>('enforceOpenAPI', auth, middleware, options.env, clientOf, recordSuccess)
  const bindings = new RouteBindings<Route>(auth, enforcement, bindable)
  return { site, exclude, bindings, positions: new WeakMap(), memo: new RouteMemo() }
}

function unbound(enforcer: Enforcer, req: Request, label: string): AuthspecError {
  const all = checkCoverage(req.app, enforcer.site.auth, { exclude: enforcer.exclude }).unboundRoutes
  return unboundRouteError(label, all.length > 0 ? all : [label])
}

/** The middleware's index in the app's stack, or `undefined` when it is not mounted on the app before the routes. */
function positionIn(enforcer: Enforcer, stack: Layer[]): number | undefined {
  const { positions } = enforcer
  const middleware = enforcer.site.guard
  const known = positions.get(stack)
  if (known !== undefined && stack[known]?.handle === middleware) return known
  const position = stack.findIndex((layer) => layer.handle === middleware)
  const layer = stack[position]
  if (layer === undefined || !(layer.slash === true || layer.regexp?.fast_slash === true)) return undefined
  positions.set(stack, position)
  return position
}

// The route found for `method pathname` (origin-form targets only), so the layers are matched
// once per request by the router itself, not a second time here.
function targetOf(enforcer: Enforcer, stack: Layer[], position: number, url: string, path: string, method: string): Target | undefined {
  const { memo } = enforcer
  const key = url.charCodeAt(0) === 47 /* / */ ? `${method} ${path}` : undefined
  if (key !== undefined) {
    const known = memo.get(stack, key)
    if (known !== undefined) return known
  }
  const walked: Layer[][] = [stack]
  const found = findTargetAt(stack, position + 1, url, path, method, enforcer.site.guard, '', undefined, walked)
  if (key !== undefined && found !== undefined) memo.set(stack, key, found, walked)
  return found
}

function enforce(enforcer: Enforcer, req: Request, res: Response, next: NextFunction): void {
  const stack = stackOf(req.app) ?? []
  const position = positionIn(enforcer, stack)
  if (position === undefined) {
    next(new AuthspecError('ERR_AUTHSPEC_CONFIG', 'enforceOpenAPI: mount it on the app itself, before the routes: app.use(enforceOpenAPI(auth))'))
    return
  }
  const method = req.method
  // The pathname the router matched this request with (its parse, cached on `req`).
  const path = pathnameOf(req)
  const target = path === undefined ? undefined : targetOf(enforcer, stack, position, req.url, path, method)
  if (target === undefined) return next() // no route: Express's 404 (or its OPTIONS answer)
  const { bindings } = enforcer
  const step = target.kind === 'route' ? bindings.get(target.route, method, target.pattern).step : bindings.outside(method, target.label)
  if (step.kind === 'guard') return runNodeGuard(enforcer.site, step.prepared, step.vary, req, res, next)
  if (step.kind === 'error') return next(unbound(enforcer, req, step.label))
  if (step.kind === 'next' || (step.preflight && req.headers['access-control-request-method'] !== undefined)) return next()
  writeProblem(res, step.answer)
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
  const middleware = (req: Request, res: Response, next: NextFunction): void => enforce(enforcer, req, res, next)
  const enforcer = resolveEnforcer(auth, options, middleware)
  return middleware
}
