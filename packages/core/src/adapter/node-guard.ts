import type { Auth } from '../create-auth.js'
import { AuthspecError } from '../errors.js'
import type { PreparedRequirement } from '../requirement.js'
import type { AuthFailure, AuthSuccess } from '../result.js'
import { NodeRequestView, type NodeRequestLike } from './node-request-view.js'
import { protectNodeResponse, writeFailure, writeRendered, type NodeResponseLike } from './node-response.js'

/** A Node framework's `next`: no argument to go on, an error for its error path. */
export type NodeNext = (error?: unknown) => void

/** The options every guard of a Node adapter takes (`requireAuth`, `enforceOpenAPI`). */
export interface NodeGuardOptions<Q> {
  /** The environment passed to verifiers as `ctx.env`. @default undefined */
  env?: (req: Q) => unknown
}

/** What a Node guard needs on every request, resolved once when its middleware is made. */
export interface NodeGuard<Q extends NodeRequestLike> {
  readonly auth: Auth
  /** The middleware itself: its own result is kept under this identity. */
  readonly guard: object
  /** `ctx.env` of a request (the adapter's `env` option). */
  readonly env: ((req: Q) => unknown) | undefined
  /** `ctx.client` of a request, read only when a throttle asks for it. */
  readonly client: (req: Q) => string | undefined
  /** Keep a success on the request (the framework's `req.auth` and the guard's own result). */
  readonly record: (req: Q, guard: object, result: AuthSuccess) => void
  /** Whether failures go through the auth's `renderError`. */
  readonly render: boolean
}

/**
 * A guard's per-request needs, checked now: `env`, when given, must be a function of the request
 * (else `ERR_AUTHSPEC_CONFIG` naming `where`).
 */
export function nodeGuard<Q extends NodeRequestLike>(
  where: string,
  auth: Auth,
  guard: object,
  env: unknown,
  client: (req: Q) => string | undefined,
  record: (req: Q, guard: object, result: AuthSuccess) => void,
): NodeGuard<Q> {
  if (env !== undefined && typeof env !== 'function') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `${where}: env must be a function of the request`)
  return { auth, guard, env: env as NodeGuard<Q>['env'], client, record, render: auth.renderError !== undefined }
}

/**
 * Finish a guard: on success record it, mark a protected response private (`vary`: the
 * requirement's headers, joined) and call `next()`; on failure answer it (the auth's `renderError`
 * when it has one).
 */
function finish<Q extends NodeRequestLike>(site: NodeGuard<Q>, prepared: PreparedRequirement, vary: string, req: Q, res: NodeResponseLike, next: NodeNext, outcome: AuthSuccess | AuthFailure): void {
  if (outcome.ok) {
    site.record(req, site.guard, outcome)
    if (!prepared.isPublic) protectNodeResponse(res, vary)
    next()
    return
  }
  try {
    if (site.render) writeRendered(res, outcome.response).catch(next)
    else writeFailure(res, outcome)
  } catch (error) {
    next(error)
  }
}

/**
 * Authenticate a Node request against `prepared` and finish the guard: in the same tick when the
 * answer is synchronous (static keys, memory stores, cached tokens), else when it settles; a
 * verifier fault goes to `next(error)`. No `Request` is built: the core reads a view of `req`.
 */
export function runNodeGuard<Q extends NodeRequestLike>(site: NodeGuard<Q>, prepared: PreparedRequirement, vary: string, req: Q, res: NodeResponseLike, next: NodeNext): void {
  let answer: AuthSuccess | AuthFailure | Promise<AuthSuccess | AuthFailure>
  try {
    answer = site.auth.authenticateNow(new NodeRequestView(req), prepared, { env: site.env?.(req), client: () => site.client(req) })
  } catch (error) {
    next(error)
    return
  }
  if (answer instanceof Promise) answer.then((outcome) => finish(site, prepared, vary, req, res, next, outcome)).catch(next)
  else finish(site, prepared, vary, req, res, next, answer)
}
