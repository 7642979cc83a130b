import { AuthspecError, mergeSuccess, type AuthSuccess } from '@authspec/core'
import type { Context } from 'hono'

/** Where each guard's own result is kept on the context (one map per request). */
const RESULTS = 'authspec:results'

/**
 * Record a guard's success on the request and merge it into `c.var.auth`: the principals of
 * every guard that passed (a later guard's principal for the same scheme wins), scopes unioned,
 * `alternative` of the latest guard. Each guard's own result stays readable with `guard.auth(c)`.
 */
export function recordSuccess(c: Context, guard: object, result: AuthSuccess): void {
  let results = c.get(RESULTS as never) as Map<object, AuthSuccess> | undefined
  if (results === undefined) c.set(RESULTS as never, (results = new Map()) as never)
  results.set(guard, result)
  const previous = c.get('auth' as never) as AuthSuccess | undefined
  c.set('auth' as never, (previous === undefined ? result : mergeSuccess(previous, result)) as never)
}

/** The result of one guard on this request; throws when that guard did not pass it. */
export function resultOf(c: Context, guard: object): AuthSuccess {
  const result = (c.get(RESULTS as never) as Map<object, AuthSuccess> | undefined)?.get(guard)
  if (result === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'guard.auth(c): call it only in handlers behind this guard; this request did not pass it')
  }
  return result
}
