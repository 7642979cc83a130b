import { GuardResults, guardResult } from '@authspec/core/adapter'
import type { AuthSuccess } from '@authspec/core'
import type { Request } from 'express'

/**
 * Each guard's own result on a request (stacked guards). A `WeakMap`, not a property of `req`:
 * Express swaps every request's prototype (`Object.setPrototypeOf(req, app.request)`), after which
 * V8 adds a property to that request in microseconds, where a `WeakMap` entry costs a fraction.
 */
const RESULTS = new WeakMap<Request, GuardResults>()

/** Keep a guard's success; `req.auth` is the merge of every guard passed. */
export function recordSuccess(req: Request, guard: object, result: AuthSuccess): void {
  const held = RESULTS.get(req)
  if (held === undefined) {
    RESULTS.set(req, new GuardResults(guard, result))
    req.auth = result
    return
  }
  held.add(guard, result)
  req.auth = held.merged
}

/** One guard's own result on this request; throws when that guard did not pass it. */
export function resultOf(req: Request, guard: object): AuthSuccess {
  return guardResult(RESULTS.get(req), guard, 'auth(req)')
}
