import { GuardResults, guardResult } from '@authspec/core/adapter'
import type { AuthSuccess } from '@authspec/core'
import type { Context } from 'hono'

/** Where each guard's own result is kept on the context. */
const RESULTS = 'authspec:results'

/** Record a guard's success on the request; `c.var.auth` is the merge of every guard passed. */
export function recordSuccess(c: Context, guard: object, result: AuthSuccess): void {
  const held = c.get(RESULTS as never) as GuardResults | undefined
  if (held === undefined) {
    c.set(RESULTS as never, new GuardResults(guard, result) as never)
    c.set('auth' as never, result as never)
    return
  }
  held.add(guard, result)
  c.set('auth' as never, held.merged as never)
}

/** The result of one guard on this request; throws when that guard did not pass it. */
export function resultOf(c: Context, guard: object): AuthSuccess {
  return guardResult(c.get(RESULTS as never) as GuardResults | undefined, guard, 'guard.auth(c)')
}
