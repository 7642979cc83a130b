import type { Auth, AuthFailure, AuthSuccess, PreparedRequirement, Requirement, SchemeMap } from '@authspec/core'
import { AuthspecError } from '@authspec/core'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { ExpressRequestView } from './request-view.js'

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * Set by `requireAuth` when the request passed. For the principals typed from the
     * requirement, use the middleware's `auth(req)`.
     */
    auth?: AuthSuccess
  }
}

/** Options of {@link requireAuth}. */
export interface RequireAuthOptions {
  /** The environment passed to verifiers as `ctx.env`. @default undefined */
  env?: (req: Request) => unknown
}

/** Marks a middleware created by `requireAuth`, for `openapiDocument`. */
export const GUARD: unique symbol = Symbol.for('authspec.express.guard')

/** What `openapiDocument` learns from a guard. */
export interface GuardInfo {
  readonly auth: Auth<SchemeMap>
  readonly prepared: PreparedRequirement<Requirement>
}

/** The middleware `requireAuth` returns. */
export interface AuthMiddleware<S extends SchemeMap = SchemeMap, R = Requirement<S>> extends RequestHandler {
  readonly [GUARD]: GuardInfo
  /** `req.auth` typed from this middleware's requirement; throws when the request did not pass it. */
  auth(req: Request): AuthSuccess<S, R>
}

const PRIVATE = /(?:^|,)\s*(?:private|no-store)\b/i

async function sendRendered(res: Response, rendered: globalThis.Response): Promise<void> {
  const body = Buffer.from(await rendered.arrayBuffer())
  res.status(rendered.status)
  rendered.headers.forEach((value, key) => {
    if (key !== 'set-cookie') res.setHeader(key, value)
  })
  const cookies = rendered.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  res.end(body)
}

function sendFailure(res: Response, failure: AuthFailure): void {
  const body = JSON.stringify(failure.problem)
  res.status(failure.status)
  const headers = failure.headers
  for (const key in headers) {
    const value = headers[key]!
    if (key === 'Vary') res.vary(value as string)
    else res.setHeader(key, value as string | string[])
  }
  res.setHeader('Content-Length', Buffer.byteLength(body))
  res.end(body)
}

/**
 * Express 4/5 middleware: authenticates the request against `requirement` (OpenAPI `security`,
 * default the auth's `security`), then sets `req.auth` and calls `next()`, or answers the
 * failure (status, `WWW-Authenticate`, problem+json or the auth's `renderError`). The requirement
 * is checked now: a config error throws here, never per request. Verify and config errors go to
 * `next(err)`. Passing responses get `Vary` and `Cache-Control: private` (replacing an earlier
 * middleware's value unless it is already `private` or `no-store`; the route handler may set its own).
 *
 * @example app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }]), (req, res) => res.json(req.auth))
 */
export function requireAuth<S extends SchemeMap, const R extends Requirement<S>>(
  auth: Auth<S>,
  requirement?: R,
  options: RequireAuthOptions = {},
): AuthMiddleware<S, R> {
  const prepared = auth.prepare(requirement)
  const { env } = options
  if (env !== undefined && typeof env !== 'function') {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'requireAuth: env must be a function of the request')
  }
  const vary = prepared.vary.join(', ')
  const protect = !prepared.isPublic
  const render = auth.renderError !== undefined

  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    let result: Promise<AuthSuccess | AuthFailure>
    try {
      result = auth.authenticate(new ExpressRequestView(req), prepared, { env: env?.(req), client: req.ip })
    } catch (error) {
      next(error)
      return
    }
    result.then((outcome) => {
      if (outcome.ok) {
        req.auth = outcome as AuthSuccess
        if (protect) {
          // res.vary() parses and re-joins the field; most responses have none yet.
          if (vary.length > 0) {
            if (res.getHeader('Vary') === undefined) res.setHeader('Vary', vary)
            else res.vary(vary)
          }
          // An earlier middleware's shared-cache policy must not leak to an authenticated response.
          if (!PRIVATE.test(String(res.getHeader('Cache-Control') ?? ''))) res.setHeader('Cache-Control', 'private')
        }
        next()
        return
      }
      try {
        if (render) sendRendered(res, outcome.response).catch(next)
        else sendFailure(res, outcome)
      } catch (error) {
        next(error)
      }
    }, next)
  }
  const typed = (req: Request): AuthSuccess<S, R> => {
    if (req.auth === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'auth(req): call it only in handlers behind this guard; this request did not pass requireAuth')
    return req.auth as unknown as AuthSuccess<S, R>
  }
  const info: GuardInfo = { auth: auth as unknown as Auth<SchemeMap>, prepared: prepared as PreparedRequirement<Requirement> }
  return Object.assign(middleware, { [GUARD]: info, auth: typed }) as AuthMiddleware<S, R>
}

/** The guard behind a middleware created by `requireAuth`, if it is one. */
export function guardOf(handler: unknown): GuardInfo | undefined {
  return typeof handler === 'function' ? (handler as Partial<Record<typeof GUARD, GuardInfo>>)[GUARD] : undefined
}
