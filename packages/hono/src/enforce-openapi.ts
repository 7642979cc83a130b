import { resolveEnforcement, RouteBindings, unboundRouteError, type EnforcementStep, type EnforceOpenAPIOptions, type ProblemAnswer } from '@authspec/core/adapter'
import type { Auth } from '@authspec/core'
import type { MiddlewareHandler } from 'hono'
import type { RouterRoute } from 'hono/types'
import { guardRequest, type AuthEnv } from './require-auth.js'
import { bindable, enforcers, isMiddleware } from './route-binding.js'

export type { EnforceOpenAPIOptions }

const send = (answer: ProblemAnswer): Response => new Response(answer.body, { status: answer.status, headers: answer.headers })

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
  const bindings = new RouteBindings<RouterRoute>(auth, resolveEnforcement(auth, options), bindable)

  const enforcer: MiddlewareHandler<AuthEnv> = async (c, next) => {
    const routes = c.req.matchedRoutes
    let step: EnforcementStep | undefined
    for (let i = c.req.routeIndex + 1; i < routes.length; i++) {
      const route = routes[i]!
      if (isMiddleware(route)) continue
      step = bindings.get(route, c.req.method).step
      break
    }
    if (step === undefined) return next() // no route: Hono's 404 (or what a middleware answers)
    if (step.kind === 'guard') return guardRequest(auth, step.prepared, c, next, enforcer)
    if (step.kind === 'error') throw unboundRouteError(step.label)
    if (step.kind === 'next' || (step.preflight && c.req.header('access-control-request-method') !== undefined)) return next()
    return send(step.answer)
  }
  enforcers.add(enforcer)
  return enforcer
}
