import { isAuthspecError } from '../errors.js'
import { isThenable } from '../internal/verify-callback.js'
import { withTimeout } from '../internal/with-timeout.js'
import type { Awaitable, VerifyOutcome } from '../types.js'

/** The 503 outcome of a store that failed or timed out: never a grant, never a 401. */
export function unavailable(retryAfter: number): VerifyOutcome<never> {
  return { ok: false, reason: 'unavailable', detail: 'the key store cannot be reached', retryAfter }
}

/**
 * A misconfiguration a store finds during a call (a missing Workers binding): thrown on, so the
 * request fails through the framework's error path (a 500 the platform logs) instead of a 503
 * that reads as an outage. Never a grant either way.
 */
function rethrowConfig(error: unknown): void {
  if (isAuthspecError(error) && error.code === 'ERR_AUTHSPEC_CONFIG') throw error
}

/**
 * Run `then` on the store's answer: synchronously when the store answered synchronously (the
 * in-memory store: no promise, no timer), else after the promise settles or `timeout` ms pass.
 * A throw, a rejection or a timeout gives `onError()`, except a config error, which is thrown on.
 */
export function afterStore<T, R>(
  call: () => Awaitable<T>,
  timeout: number,
  then: (value: T) => Awaitable<R>,
  onError: () => R,
): Awaitable<R> {
  let pending: Awaitable<T>
  try {
    pending = call()
  } catch (error) {
    rethrowConfig(error)
    return onError()
  }
  if (!isThenable(pending)) return then(pending)
  return withTimeout(pending, timeout).then(then, (error: unknown) => {
    rethrowConfig(error)
    return onError()
  })
}
