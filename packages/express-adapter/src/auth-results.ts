import { AuthspecError, mergeSuccess, type AuthSuccess } from '@authspec/core'
import type { Request } from 'express'

/** The first guard's result inline (the usual single guard allocates no `Map`), further guards' in `others`. */
interface Results {
  readonly guard: object
  result: AuthSuccess
  others: Map<object, AuthSuccess> | undefined
}

/**
 * Each guard's own result on a request (stacked guards). A `WeakMap`, not a property of `req`:
 * Express swaps every request's prototype (`Object.setPrototypeOf(req, app.request)`), after which
 * V8 adds a property to that request in microseconds, where a `WeakMap` entry costs a fraction.
 */
const RESULTS = new WeakMap<Request, Results>()

/** Keep a guard's success and merge it into `req.auth` (principals of every guard passed, scopes unioned). */
export function recordSuccess(req: Request, guard: object, result: AuthSuccess): void {
  const results = RESULTS.get(req)
  if (results === undefined) RESULTS.set(req, { guard, result, others: undefined })
  else if (results.guard === guard) results.result = result
  else (results.others ??= new Map()).set(guard, result)
  req.auth = req.auth === undefined ? result : mergeSuccess(req.auth, result)
}

/** One guard's own result on this request; throws when that guard did not pass it. */
export function resultOf(req: Request, guard: object): AuthSuccess {
  const results = RESULTS.get(req)
  const result = results === undefined ? undefined : results.guard === guard ? results.result : results.others?.get(guard)
  if (result === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'auth(req): call it only in handlers behind this guard; this request did not pass it')
  }
  return result
}
