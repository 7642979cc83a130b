import { AuthspecError, mergeSuccess, type AuthSuccess } from '@authspec/core'
import type { Request } from 'express'

/** Each guard's own result on a request (stacked guards). */
const RESULTS: unique symbol = Symbol('authspec.express.results')

/** The first guard's result inline (the usual single guard allocates no `Map`), further guards' in `others`. */
interface Results {
  readonly guard: object
  result: AuthSuccess
  others: Map<object, AuthSuccess> | undefined
}

type WithResults = Request & { [RESULTS]?: Results }

/** Keep a guard's success and merge it into `req.auth` (principals of every guard passed, scopes unioned). */
export function recordSuccess(req: Request, guard: object, result: AuthSuccess): void {
  const r = req as WithResults
  const results = r[RESULTS]
  if (results === undefined) r[RESULTS] = { guard, result, others: undefined }
  else if (results.guard === guard) results.result = result
  else (results.others ??= new Map()).set(guard, result)
  req.auth = req.auth === undefined ? result : mergeSuccess(req.auth, result)
}

/** One guard's own result on this request; throws when that guard did not pass it. */
export function resultOf(req: Request, guard: object): AuthSuccess {
  const results = (req as WithResults)[RESULTS]
  const result = results === undefined ? undefined : results.guard === guard ? results.result : results.others?.get(guard)
  if (result === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'auth(req): call it only in handlers behind this guard; this request did not pass it')
  }
  return result
}
