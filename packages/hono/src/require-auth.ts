import { type Auth, type AuthFailure, type AuthSuccess, type PreparedRequirement, type Requirement, type SchemeMap } from '@authspec/core'
import { refuseDocumentDefault } from '@authspec/core/adapter'
import { markPrivate } from '@authspec/core/adapter'
import { clientAddress } from './client-address.js'
import type { Context, MiddlewareHandler, Next } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { recordSuccess, resultOf } from './auth-results.js'
import { guards } from './guard-registry.js'

/** The Hono env a guarded route sees: `c.var.auth` is the success, typed from the requirement. */
export interface AuthEnv<S extends SchemeMap = SchemeMap, R = Requirement<S>> {
  Variables: { auth: AuthSuccess<S, R> }
}

/**
 * Thrown by `requireAuth` when authentication fails, so `app.onError` can customise the answer.
 * Without a custom handler Hono sends `getResponse()`: the core's problem+json response with its
 * status, `WWW-Authenticate` challenges and `Cache-Control: no-store`.
 */
export class AuthFailureException extends HTTPException {
  /** The failure value: `status`, `code`, `challenges`, `headers`, `problem`, lazy `response`. */
  readonly failure: AuthFailure

  constructor(failure: AuthFailure) {
    super(failure.status, { message: failure.problem.detail })
    this.name = 'AuthFailureException'
    this.failure = failure
    // The core builds its response lazily; build it only when someone asks for it.
    Object.defineProperty(this, 'res', { get: () => failure.response, enumerable: true, configurable: true })
  }
}

/** Add `Vary` and `Cache-Control: private` to a protected response. */
export function protect(c: Context, vary: readonly string[]): void {
  try {
    markPrivate(c.res.headers, vary)
  } catch {
    // Immutable headers (a response passed through from fetch()): copy it once, then mark the copy.
    c.res = new Response(c.res.body, c.res)
    markPrivate(c.res.headers, vary)
  }
}

/**
 * Authenticate the request against `prepared` for `guard` (without a promise hop when the answer
 * is synchronous), record the success, run the rest, then mark a protected response private.
 * A failure throws {@link AuthFailureException} to Hono's error path.
 */
export async function guardRequest(auth: Auth, prepared: PreparedRequirement, c: Context, next: Next, guard: object): Promise<void> {
  const answer = auth.authenticateNow(c.req.raw, prepared, { env: c.env, client: clientAddress(c) })
  const result = answer instanceof Promise ? await answer : answer
  if (!result.ok) throw new AuthFailureException(result)
  recordSuccess(c, guard, result)
  await next()
  if (!prepared.isPublic) protect(c, prepared.vary)
}

/** The middleware `requireAuth` returns. */
export type AuthGuard<S extends SchemeMap = SchemeMap, R = Requirement<S>> = MiddlewareHandler<AuthEnv<S, R>> & {
  /** This guard's own result on this request (typed from its requirement); throws when it did not pass the request. */
  auth(c: Context): AuthSuccess<S, R>
}

/**
 * Hono middleware that authenticates each request against `requirement` (OpenAPI `security`:
 * OR of AND-groups; default: the auth's `security`). The requirement is checked now, so a
 * misconfiguration throws `AuthspecError` at start-up. On success `c.var.auth` holds the typed
 * result and the response gets `Vary` and `Cache-Control: private` (unless the handler set its
 * own); on failure an {@link AuthFailureException} goes to Hono's error path. `c.env` reaches
 * verifiers as `ctx.env`; a verifier bug (`AuthspecError`) reaches `app.onError` as a 500.
 * Stacked guards (a path guard, then a route guard) each keep their own result (`guard.auth(c)`);
 * `c.var.auth` merges them: the principals of every guard passed, scopes unioned. Without a
 * requirement, an auth from a document whose operations differ from its default is refused:
 * use `enforceOpenAPI`.
 *
 * @example app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }]), (c) => c.json(c.var.auth.principals.ApiKeyAuth))
 */
export function requireAuth<S extends SchemeMap, const R extends Requirement<S> = Requirement<S>>(
  auth: Auth<S>,
  requirement?: R,
): AuthGuard<S, R> {
  if (requirement === undefined) refuseDocumentDefault(auth, 'requireAuth')
  const prepared = auth.prepare(requirement)
  const guard: MiddlewareHandler<AuthEnv<S, R>> = (c, next) => guardRequest(auth as unknown as Auth, prepared as PreparedRequirement, c, next, guard)
  guards.set(guard, { auth: auth as unknown as Auth, prepared })
  return Object.assign(guard, { auth: (c: Context) => resultOf(c, guard) as unknown as AuthSuccess<S, R> })
}
