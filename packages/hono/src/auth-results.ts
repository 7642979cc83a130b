import { GuardResults, guardResult } from '@authspec/core/adapter'
import type { AuthSuccess } from '@authspec/core'
import type { Context } from 'hono'

/** Where each guard's own result is kept on the context. */
const RESULTS = 'authspec:results'

/**
 * Record a guard's success on the request; `c.var.auth` is the merge of every guard passed. The
 * first guard is kept as itself (its result is `c.var.auth`): the usual single guard allocates
 * nothing more.
 */
export function recordSuccess(c: Context, guard: object, result: AuthSuccess): void {
  const held = c.get(RESULTS as never) as GuardResults | object | undefined
  if (held === undefined) {
    c.set(RESULTS as never, guard as never)
    c.set('auth' as never, result as never)
    return
  }
  const results = held instanceof GuardResults ? held : new GuardResults(held, c.get('auth' as never) as AuthSuccess)
  if (results !== held) c.set(RESULTS as never, results as never)
  results.add(guard, result)
  c.set('auth' as never, results.merged as never)
}

/** The result of one guard on this request; throws when that guard did not pass it. */
export function resultOf(c: Context, guard: object): AuthSuccess {
  const held = c.get(RESULTS as never) as GuardResults | object | undefined
  if (held === guard) return c.get('auth' as never) as AuthSuccess
  return guardResult(held instanceof GuardResults ? held : undefined, guard, 'guard.auth(c)')
}
