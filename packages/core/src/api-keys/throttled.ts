import type { AuthContext, Awaitable, Scheme, VerifyOutcome } from '../types.js'
import { configError } from '../errors.js'
import { memoryCounterStore } from './memory-store.js'
import { afterStore, unavailable } from './store-call.js'
import { optionNames } from '../internal/check-options.js'
import { createThrottle, THROTTLE_OPTIONS, type ThrottleOptions } from './throttle.js'

/** Options of {@link throttled}. */
export interface ThrottledOptions extends ThrottleOptions {
  /**
   * The credential id failures are also counted by. @default the `username` of Basic
   * credentials; none for other schemes (then only per client)
   */
  credentialId?: (credential: unknown) => string | undefined
  /** Milliseconds a counter call may take before the request is answered 503. @default 2000 */
  timeout?: number
}

const THROTTLED_OPTIONS = optionNames<ThrottledOptions>()(...THROTTLE_OPTIONS, 'credentialId', 'timeout')

function defaultId(credential: unknown): string | undefined {
  const username = (credential as { username?: unknown } | null)?.username
  return typeof username === 'string' ? `user:${username}` : undefined
}

/**
 * Wrap a scheme (httpBasic, httpBearer, a verify-based apiKey, …) with failed-auth throttling:
 * once a client or a username has `failures` rejected attempts in the window, its requests get
 * 429 + `Retry-After` without `verify` being called; a counter store fault answers 503.
 *
 * With counters that can `release` (the memory store, the default) the guarantee holds under
 * any concurrency: **at most `failures` calls of `verify` per window, per client and per
 * username**, however many requests arrive at once. Each attempt is counted before `verify`
 * and given back when the credential was good; attempts made while throttled stay counted.
 * Counters without `release` are read before `verify` and counted after a rejection, so
 * attempts already in flight are not held back.
 *
 * @example BasicAuth: throttled(httpBasic({ verify }), { failures: 5, window: 300, counters: redis })
 */
export function throttled<P extends object>(scheme: Scheme<P>, options: ThrottledOptions = {}): Scheme<P> {
  if (scheme === null || typeof scheme !== 'object' || typeof scheme.verify !== 'function') throw configError('throttled: a scheme is required')
  const throttle = createThrottle('throttled', options, THROTTLED_OPTIONS)
  const counters = throttle.counters ?? memoryCounterStore()
  const credentialId = options.credentialId ?? defaultId
  if (typeof credentialId !== 'function') throw configError('throttled: credentialId must be a function')
  const timeout = options.timeout ?? 2000
  const down = (): VerifyOutcome<never> => unavailable(5)
  const reserve = typeof counters.release === 'function'
  const inner = scheme.verify.bind(scheme)
  const verify = (credential: unknown, ctx: AuthContext): Awaitable<VerifyOutcome<P>> => {
    const keys = throttle.keys(ctx, credentialId(credential))
    if (keys.length === 0) return inner(credential, ctx)
    const now = Date.now()
    if (reserve) return reserved(keys, now, credential, ctx)
    return afterStore(() => counters.peek(keys, throttle.window, now, ctx), timeout, async (counts) => {
      const blocked = throttle.check(counts, now)
      if (blocked !== undefined) return blocked
      const outcome = await inner(credential, ctx)
      if (outcome.ok || outcome.reason !== 'invalid') return outcome
      return afterStore(() => counters.hit(keys, throttle.window, now, ctx), timeout, () => outcome, down)
    }, down)
  }
  // The attempt is counted before verify and given back when it was not a rejection: at most
  // `failures` checks per window and client, however many requests are in flight at once.
  const reserved = (keys: string[], now: number, credential: unknown, ctx: AuthContext): Awaitable<VerifyOutcome<P>> =>
    afterStore(() => counters.hit(keys, throttle.window, now, ctx), timeout, async (counts) => {
      const blocked = throttle.checkReserved(counts, now)
      if (blocked !== undefined) return blocked
      let outcome: VerifyOutcome<P>
      try {
        outcome = await inner(credential, ctx)
      } catch (error) {
        await counters.release!(keys, throttle.window, now, ctx)
        throw error
      }
      if (!outcome.ok && outcome.reason === 'invalid') return outcome
      return afterStore(() => counters.release!(keys, throttle.window, now, ctx), timeout, () => outcome, down)
    }, down)
  return { ...scheme, verify, remote: true, rateLimited: true }
}
