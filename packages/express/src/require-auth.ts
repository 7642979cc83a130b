import type { Auth, AuthSuccess, PreparedRequirement, Requirement, SchemeMap } from '@authspec/core'
import { nodeGuard, refuseDocumentDefault, requireDpopOrigin, runNodeGuard, type NodeGuardOptions, type RouteGuard } from '@authspec/core/adapter'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { recordSuccess, resultOf } from './auth-results.js'

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * Set by `requireAuth` / `enforceOpenAPI` when the request passed: with stacked guards, the
     * principals of every guard passed, scopes unioned. For one guard's own result, typed from
     * its requirement, use that middleware's `auth(req)`.
     */
    auth?: AuthSuccess
  }
}

/** Options of {@link requireAuth}: `env`, the environment passed to verifiers as `ctx.env`. */
export type RequireAuthOptions = NodeGuardOptions<Request>

/** Marks a middleware created by `requireAuth`, for `openapiDocument`. */
export const GUARD: unique symbol = Symbol.for('authspec.express.guard')

/** What `openapiDocument` learns from a guard. */
export type GuardInfo = RouteGuard

/** The middleware `requireAuth` returns. */
export interface AuthMiddleware<S extends SchemeMap = SchemeMap, R = Requirement<S>> extends RequestHandler {
  readonly [GUARD]: GuardInfo
  /** This guard's own result, typed from its requirement; throws when the request did not pass this guard. */
  auth(req: Request): AuthSuccess<S, R>
}

/**
 * Express 4/5 middleware: authenticates the request against `requirement` (OpenAPI `security`,
 * default the auth's `security`), then sets `req.auth` and calls `next()`, or answers the
 * failure (status, `WWW-Authenticate`, problem+json or the auth's `renderError`). The requirement
 * is checked now: a config error throws here, never per request. Verify and config errors go to
 * `next(err)`. Passing responses get `Vary` and `Cache-Control: private` (replacing an earlier
 * middleware's value unless it is already `private` or `no-store`; the route handler may set its own).
 * Stacked guards each keep their own result (`guard.auth(req)`); `req.auth` merges them. Without a
 * requirement, an auth from a document whose operations differ from its default is refused: use
 * `enforceOpenAPI`.
 *
 * @example app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }]), (req, res) => res.json(req.auth))
 */
export function requireAuth<S extends SchemeMap, const R extends Requirement<S>>(
  auth: Auth<S>,
  requirement?: R,
  options: RequireAuthOptions = {},
): AuthMiddleware<S, R> {
  if (requirement === undefined) refuseDocumentDefault(auth, 'requireAuth')
  const prepared = auth.prepare(requirement)
  requireDpopOrigin(auth, 'requireAuth', prepared.names)
  const vary = prepared.vary.join(', ')
  const middleware = (req: Request, res: Response, next: NextFunction): void => runNodeGuard(site, prepared as PreparedRequirement, vary, req, res, next)
  const site = nodeGuard<Request>('requireAuth', auth as unknown as Auth, middleware, options.env, clientOf, recordSuccess)
  const typed = (req: Request): AuthSuccess<S, R> => resultOf(req, middleware) as unknown as AuthSuccess<S, R>
  const info: GuardInfo = { auth: auth as unknown as Auth, prepared: prepared as PreparedRequirement }
  return Object.assign(middleware, { [GUARD]: info, auth: typed }) as AuthMiddleware<S, R>
}

/** `ctx.client`: Express's `req.ip` (which honours its `trust proxy` setting). */
export function clientOf(req: Request): string | undefined {
  return req.ip
}

/** The guard behind a middleware created by `requireAuth`, if it is one. */
export function guardOf(handler: unknown): GuardInfo | undefined {
  return typeof handler === 'function' ? (handler as Partial<Record<typeof GUARD, GuardInfo>>)[GUARD] : undefined
}
