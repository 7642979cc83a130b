import { isAuthspecError } from '../errors.js'
import { isThenable } from './verify-callback.js'
import { withTimeout } from './with-timeout.js'
import type { Awaitable, VerifyOutcome } from './outcome-types.js'

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

/** A store call that threw: `onError()`, unless it is a config error, which is thrown on. */
export function storeThrew<R>(error: unknown, onError: () => R): R {
  rethrowConfig(error)
  return onError()
}

/**
 * Run `then` on a store call's answer `pending`: at once when the store answered synchronously
 * (the in-memory store: no promise, no timer), else after the promise settles or `timeout` ms
 * pass. A rejection or a timeout gives `onError()`, except a config error, which is thrown on.
 */
export function afterAnswer<T, R>(pending: Awaitable<T>, timeout: number, then: (value: T) => Awaitable<R>, onError: () => R): Awaitable<R> {
  if (!isThenable(pending)) return then(pending)
  return withTimeout(pending, timeout).then(then, (error: unknown) => storeThrew(error, onError))
}

/** {@link afterAnswer} of `call()`, where a throw is a failed call too. */
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
    return storeThrew(error, onError)
  }
  return afterAnswer(pending, timeout, then, onError)
}
