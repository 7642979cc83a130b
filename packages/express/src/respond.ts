import { NodeRequestView, protectNodeResponse, writeFailure, writeRendered } from '@authspec/core/adapter'
import type { Auth, AuthFailure, AuthSuccess, PreparedRequirement } from '@authspec/core'
import type { NextFunction, Request, Response } from 'express'
import { recordSuccess } from './auth-results.js'

/**
 * Finish a guard: on success record it (`req.auth`, `guard.auth(req)`), mark a protected
 * response private and call `next()`; on failure answer it (the auth's `renderError` when it has one).
 */
export function finish(req: Request, res: Response, next: NextFunction, guard: object, outcome: AuthSuccess | AuthFailure, vary: string, protect: boolean, render: boolean): void {
  if (outcome.ok) {
    recordSuccess(req, guard, outcome)
    if (protect) protectNodeResponse(res, vary)
    next()
    return
  }
  try {
    if (render) writeRendered(res, outcome.response).catch(next)
    else writeFailure(res, outcome)
  } catch (error) {
    next(error)
  }
}

/**
 * Authenticate `req` against `prepared` and {@link finish} the guard: in the same tick when the
 * answer is synchronous (static keys, memory stores, cached tokens), else when it settles; a
 * verifier fault goes to `next(error)`. `ctx.client` is `req.ip`, computed only when read.
 */
export function guardRequest(
  auth: Auth,
  prepared: PreparedRequirement,
  req: Request,
  res: Response,
  next: NextFunction,
  guard: object,
  vary: string,
  env: ((req: Request) => unknown) | undefined,
): void {
  let answer: AuthSuccess | AuthFailure | Promise<AuthSuccess | AuthFailure>
  try {
    answer = auth.authenticateNow(new NodeRequestView(req), prepared, { env: env?.(req), client: () => req.ip })
  } catch (error) {
    next(error)
    return
  }
  const render = auth.renderError !== undefined
  const protect = !prepared.isPublic
  if (answer instanceof Promise) answer.then((outcome) => finish(req, res, next, guard, outcome, vary, protect, render)).catch(next)
  else finish(req, res, next, guard, answer, vary, protect, render)
}
