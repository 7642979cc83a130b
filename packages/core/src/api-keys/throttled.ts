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
 * 429 + `Retry-After` without `verify` being called. One counter read per request, one
 * increment per rejected attempt; a counter store fault answers 503.
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
  const inner = scheme.verify.bind(scheme)
  const verify = (credential: unknown, ctx: AuthContext): Awaitable<VerifyOutcome<P>> => {
    const keys = throttle.keys(ctx, credentialId(credential))
    if (keys.length === 0) return inner(credential, ctx)
    const now = Date.now()
    return afterStore(() => counters.peek(keys, throttle.window, now, ctx), timeout, async (counts) => {
      const blocked = throttle.check(counts, now)
      if (blocked !== undefined) return blocked
      const outcome = await inner(credential, ctx)
      if (outcome.ok || outcome.reason !== 'invalid') return outcome
      return afterStore(() => counters.hit(keys, throttle.window, now, ctx), timeout, () => outcome, down)
    }, down)
  }
  return { ...scheme, verify, remote: true }
}
