import type { ProblemAnswer } from '@authspec/core/adapter'
import type { Auth, AuthFailure, AuthSuccess, PreparedRequirement } from '@authspec/core'
import type { NextFunction, Request, Response } from 'express'
import { recordSuccess } from './auth-results.js'
import { ExpressRequestView } from './request-view.js'

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
 * Finish a guard: on success record it (`req.auth`, `guard.auth(req)`), mark the response
 * private and call `next()`; on failure answer it (the auth's `renderError` when it has one).
 */
export function finish(req: Request, res: Response, next: NextFunction, guard: object, outcome: AuthSuccess | AuthFailure, vary: string, protect: boolean, render: boolean): void {
  if (outcome.ok) {
    recordSuccess(req, guard, outcome)
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
    answer = auth.authenticateNow(new ExpressRequestView(req), prepared, { env: env?.(req), client: () => req.ip })
  } catch (error) {
    next(error)
    return
  }
  const render = auth.renderError !== undefined
  const protect = !prepared.isPublic
  if (answer instanceof Promise) answer.then((outcome) => finish(req, res, next, guard, outcome, vary, protect, render)).catch(next)
  else finish(req, res, next, guard, answer, vary, protect, render)
}

/** A problem+json answer that is not an authentication failure (404 for a route outside the document, 405). */
export function sendProblem(res: Response, answer: ProblemAnswer): void {
  res.status(answer.status)
  for (const [key, value] of Object.entries(answer.headers)) res.setHeader(key, value)
  res.setHeader('Content-Length', Buffer.byteLength(answer.body))
  res.end(answer.body)
}
