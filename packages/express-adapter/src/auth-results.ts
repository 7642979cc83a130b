import { AuthspecError, mergeSuccess, type AuthSuccess } from '@authspec/core'
import type { Request } from 'express'

/** Each guard's own result on a request (stacked guards). */
const RESULTS: unique symbol = Symbol('authspec.express.results')

type WithResults = Request & { [RESULTS]?: Map<object, AuthSuccess> }

/** Keep a guard's success and merge it into `req.auth` (principals of every guard passed, scopes unioned). */
export function recordSuccess(req: Request, guard: object, result: AuthSuccess): void {
  const r = req as WithResults
  let results = r[RESULTS]
  if (results === undefined) r[RESULTS] = results = new Map()
  results.set(guard, result)
  req.auth = req.auth === undefined ? result : mergeSuccess(req.auth, result)
}

/** One guard's own result on this request; throws when that guard did not pass it. */
export function resultOf(req: Request, guard: object): AuthSuccess {
  const result = (req as WithResults)[RESULTS]?.get(guard)
  if (result === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'auth(req): call it only in handlers behind this guard; this request did not pass it')
  }
  return result
}
