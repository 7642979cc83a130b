import { AuthspecError, mergeSuccess, type AuthSuccess } from '@authspec/core'
import type { Context } from 'hono'

/** Where each guard's own result is kept on the context. */
const RESULTS = 'authspec:results'

/** The first guard's result, inline; a map only once a second guard has passed the request. */
interface One {
  readonly guard: object
  readonly result: AuthSuccess
}
type Results = One | Map<object, AuthSuccess>

/**
 * Record a guard's success on the request and merge it into `c.var.auth`: the principals of
 * every guard that passed (a later guard's principal for the same scheme wins), scopes unioned,
 * `alternative` of the latest guard. Each guard's own result stays readable with `guard.auth(c)`.
 */
export function recordSuccess(c: Context, guard: object, result: AuthSuccess): void {
  const held = c.get(RESULTS as never) as Results | undefined
  if (held === undefined) c.set(RESULTS as never, { guard, result } as never)
  else if (held instanceof Map) held.set(guard, result)
  else c.set(RESULTS as never, new Map([[held.guard, held.result], [guard, result]]) as never)
  const previous = c.get('auth' as never) as AuthSuccess | undefined
  c.set('auth' as never, (previous === undefined ? result : mergeSuccess(previous, result)) as never)
}

/** The result of one guard on this request; throws when that guard did not pass it. */
export function resultOf(c: Context, guard: object): AuthSuccess {
  const held = c.get(RESULTS as never) as Results | undefined
  const result = held instanceof Map ? held.get(guard) : held?.guard === guard ? held.result : undefined
  if (result === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'guard.auth(c): call it only in handlers behind this guard; this request did not pass it')
  }
  return result
}
