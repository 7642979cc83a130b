import type { AuthContext, Awaitable, Scheme, VerifyOutcome } from '../types.js'
import { configError } from '../errors.js'
import { memoryCounterStore } from './memory-store.js'
import { afterStore, unavailable } from '../internal/store-call.js'
import { optionNames } from '../internal/check-options.js'
import { positiveNumber } from '../internal/option-schema.js'
import { createThrottle, THROTTLE_OPTIONS, type ThrottleOptions } from './throttle.js'

/** Options of {@link throttled}. */
export interface ThrottledOptions extends ThrottleOptions {
  /**
   * The credential id failures are also counted by. @default the `username` of Basic
   * credentials; none for other schemes (then only per client)
   */
  credentialId?: (credential: unknown) => string | undefined
  /**
   * Rejected attempts allowed per credential id (a Basic username) per window, counted across
   * every client. Larger than `failures` by default, so that anyone who knows a username cannot
   * lock its owner out everywhere from one address (that address is stopped at `failures`):
   * locking a user out takes failures from `credentialFailures / failures` different clients.
   * @default 10 × failures
   */
  credentialFailures?: number
  /** Milliseconds a counter call may take before the request is answered 503. @default 2000 */
  timeout?: number
}

const THROTTLED_OPTIONS = optionNames<ThrottledOptions>()(...THROTTLE_OPTIONS, 'credentialId', 'credentialFailures', 'timeout')

/** The default counter name of a wrapped scheme: its HTTP auth scheme (`basic`, `bearer`) or its type. */
function kindOf(scheme: Scheme<object>): string {
  const http = scheme.authScheme
  return typeof http === 'string' && http.length > 0 ? http.toLowerCase() : String(scheme.type)
}

function defaultId(credential: unknown): string | undefined {
  const username = (credential as { username?: unknown } | null)?.username
  return typeof username === 'string' ? `user:${username}` : undefined
}

/**
 * Wrap a scheme (httpBasic, httpBearer, a verify-based apiKey, …) with failed-auth throttling:
 * once a client has `failures` rejected attempts in the window (or a username
 * `credentialFailures`, from any clients), its requests get 429 + `Retry-After` without
 * `verify` being called; a counter store fault answers 503. A good credential from a throttled
 * client is answered 429 too: it cannot be told from a guess without the check the throttle
 * withholds.
 *
 * With counters that can `release` (the memory store, the default) the guarantee holds under
 * any concurrency: **at most `failures` calls of `verify` per window and client (and
 * `credentialFailures` per username)**, however many requests arrive at once. Each attempt is counted before `verify`
 * and given back when the credential was good or when it was answered 429 without a check.
 * Counters without `release` are read before `verify` and counted after a rejection, so
 * attempts already in flight are not held back.
 *
 * @example BasicAuth: throttled(httpBasic({ verify }), { failures: 5, window: 300, counters: redis })
 */
export function throttled<P extends object>(scheme: Scheme<P>, options: ThrottledOptions = {}): Scheme<P> {
  if (scheme === null || typeof scheme !== 'object' || typeof scheme.verify !== 'function') throw configError('throttled: a scheme is required')
  const throttle = createThrottle('throttled', options, THROTTLED_OPTIONS, {
    name: kindOf(scheme),
    credentialFailures: options.credentialFailures ?? ((failures: number) => failures * 10),
  })
  const counters = throttle.counters ?? memoryCounterStore()
  const credentialId = options.credentialId ?? defaultId
  if (typeof credentialId !== 'function') throw configError('throttled: credentialId must be a function')
  const timeout = positiveNumber('throttled: timeout', options.timeout ?? 2000, 'milliseconds')
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
  const reserved = (keys: readonly string[], now: number, credential: unknown, ctx: AuthContext): Awaitable<VerifyOutcome<P>> =>
    afterStore(() => counters.hit(keys, throttle.window, now, ctx), timeout, async (counts) => {
      const blocked = throttle.check(counts, now, true)
      // No check ran: give the slot back, so a burst of good requests does not lock its own
      // client out for the window (the answer is 429 either way, even if the release fails).
      if (blocked !== undefined) return afterStore(() => counters.release!(keys, throttle.window, now, ctx), timeout, () => blocked, () => blocked)
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
