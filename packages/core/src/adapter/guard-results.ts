import { AuthspecError } from '../errors.js'
import { mergeSuccess } from '../merge-success.js'
import type { AuthSuccess } from '../result.js'

/**
 * Each guard's own success on one request (stacked guards: a path guard, then a route guard),
 * and their merge: the principals of every guard passed (a later guard's principal for the same
 * scheme wins), scopes unioned, `alternative` of the latest. The usual single guard allocates no
 * `Map`. Adapters keep one per request (on Hono's context, in a `WeakMap` of Express requests).
 */
export class GuardResults {
  readonly #guard: object
  #result: AuthSuccess
  #others: Map<object, AuthSuccess> | undefined
  /** The merged success of every guard that passed the request so far. */
  merged: AuthSuccess

  constructor(guard: object, result: AuthSuccess) {
    this.#guard = guard
    this.#result = result
    this.merged = result
  }

  /** Keep a further guard's success and merge it into {@link merged}. */
  add(guard: object, result: AuthSuccess): void {
    if (guard === this.#guard) this.#result = result
    else (this.#others ??= new Map()).set(guard, result)
    this.merged = mergeSuccess(this.merged, result)
  }

  /** One guard's own result, when it passed the request. */
  of(guard: object): AuthSuccess | undefined {
    return guard === this.#guard ? this.#result : this.#others?.get(guard)
  }
}

/** One guard's own result on a request; `call` names the accessor (`guard.auth(c)`) in the config error thrown when that guard did not pass it. */
export function guardResult(results: GuardResults | undefined, guard: object, call: string): AuthSuccess {
  const result = results?.of(guard)
  if (result === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `${call}: call it only in handlers behind this guard; this request did not pass it`)
  return result
}
