import { GuardResults, guardResult } from '@authspec/core/adapter'
import type { AuthSuccess } from '@authspec/core'
import type { Context } from 'hono'

/**
 * Where each guard's own result is kept: a symbol-keyed property of the context, not a `c.set`
 * variable, so the usual single guard costs Hono's variable map one entry (`auth`), and a handler
 * cannot overwrite it by accident with `c.set`.
 */
const RESULTS = Symbol('authspec.results')

type Holder = Context & { [RESULTS]?: GuardResults | object }

/**
 * Record a guard's success on the request; `c.var.auth` is the merge of every guard passed. The
 * first guard is kept as itself (its result is `c.var.auth`): the usual single guard allocates
 * nothing more.
 */
export function recordSuccess(c: Context, guard: object, result: AuthSuccess): void {
  const holder = c as Holder
  const held = holder[RESULTS]
  if (held === undefined) {
    holder[RESULTS] = guard
    c.set('auth' as never, result as never)
    return
  }
  const results = held instanceof GuardResults ? held : new GuardResults(held, c.get('auth' as never) as AuthSuccess)
  if (results !== held) holder[RESULTS] = results
  results.add(guard, result)
  c.set('auth' as never, results.merged as never)
}

/** The result of one guard on this request; throws when that guard did not pass it. */
export function resultOf(c: Context, guard: object): AuthSuccess {
  const held = (c as Holder)[RESULTS]
  if (held === guard) return c.get('auth' as never) as AuthSuccess
  return guardResult(held instanceof GuardResults ? held : undefined, guard, 'guard.auth(c)')
}
