import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { AuthContext, VerifyOutcome } from '../types.js'
import type { CounterStore, WindowCount } from './key-store.js'
import { over, rateLimited } from './rate-limited.js'
import { clientBucket } from './client-key.js'

/**
 * Throttling of failed authentication: after `failures` rejected credentials within the
 * sliding `window`, from one client or for one credential id (a Basic username), the next
 * attempts are answered 429 + `Retry-After` without calling `verify` or the key store, so a
 * password hash or a database lookup is no brute-force oracle. Other clients and other
 * usernames are unaffected.
 */
export interface ThrottleOptions {
  /**
   * Rejected attempts allowed per window, per client and (Basic) per username. API keys are
   * counted per client only: every guessed key has its own id, so a per-key count of guesses
   * would never reach the limit. @default 10
   */
  failures?: number
  /** Window length in seconds. @default 300 */
  window?: number
  /** Where failures are counted. @default the key store when it counts, else this process's memory */
  counters?: CounterStore
  /**
   * The client's identity, usually its address: `ctx.client` (what the adapter knows: Hono's
   * connection info, Express's `req.ip`, honouring `trust proxy`) unless this returns another.
   * When no identity is known (core `authenticate()` without `client`, Bun without
   * `server.requestIP`, Workers without a `client` option), every such request is counted in
   * **one shared bucket**: throttling never silently turns off, but unidentified clients can
   * throttle each other; give a client source to count them apart.
   * @default (ctx) => ctx.client
   */
  client?: (ctx: AuthContext) => string | undefined
  /**
   * IPv6 clients are counted by this prefix of their address, in bits (a host usually holds a
   * whole /64). `128` counts each address. @default 64
   */
  ipv6Prefix?: number
}

export const THROTTLE_OPTIONS = optionNames<ThrottleOptions>()('failures', 'window', 'counters', 'client', 'ipv6Prefix')

/** A counter store given in options must have the methods it will be called with (config error at start-up, not a 503 per request). */
export function checkCounterStore(what: string, counters: unknown): void {
  if (counters === undefined) return
  const c = counters as Partial<CounterStore> | null
  if (c === null || typeof c !== 'object' || typeof c.hit !== 'function' || typeof c.peek !== 'function') {
    throw configError(`${what} must be a counter store with hit() and peek() methods`)
  }
}

const UNIDENTIFIED = 'authspec:fail:unidentified'

/** A checked throttle. */
export interface Throttle {
  readonly failures: number
  /** Milliseconds. */
  readonly window: number
  readonly counters: CounterStore | undefined
  /** The failure counters of this request: per client and per credential id. */
  keys(ctx: AuthContext, credentialId: string | undefined): string[]
  /** The 429 outcome when any of `counts` has reached the limit. */
  check(counts: readonly WindowCount[] | undefined, now: number): VerifyOutcome<never> | undefined
  /** The 429 outcome when `counts`, read after this attempt's own hit, leave it no room. */
  checkReserved(counts: readonly WindowCount[], now: number): VerifyOutcome<never> | undefined
}

/** Check `options` now (config errors at start-up). */
export function createThrottle(kind: string, options: ThrottleOptions, known: readonly string[] = THROTTLE_OPTIONS): Throttle {
  if (options === null || typeof options !== 'object') throw configError(`${kind}: throttle must be an object`)
  checkOptions(known === THROTTLE_OPTIONS ? `${kind}: throttle` : kind, options, known)
  const failures = options.failures ?? 10
  if (typeof failures !== 'number' || !Number.isSafeInteger(failures) || failures < 1) throw configError(`${kind}: throttle.failures must be a positive integer`)
  const seconds = options.window ?? 300
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1) throw configError(`${kind}: throttle.window must be at least 1 (seconds)`)
  const client = options.client ?? ((ctx: AuthContext) => ctx.client)
  if (typeof client !== 'function') throw configError(`${kind}: throttle.client must be a function`)
  checkCounterStore(`${kind}: throttle.counters`, options.counters)
  const prefix = options.ipv6Prefix ?? 64
  if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 1 || prefix > 128) throw configError(`${kind}: throttle.ipv6Prefix must be an integer from 1 to 128 (bits)`)
  const window = Math.round(seconds * 1000)
  // Reaching `failures` blocks the next attempt: compare the estimate against failures - 1.
  const threshold = failures - 1e-9
  // After this attempt's own hit the estimate is one higher: it may run while below failures + 1.
  const reservedThreshold = failures + 1 - 1e-9
  return {
    failures,
    window,
    counters: options.counters,
    keys: (ctx, credentialId) => {
      const keys: string[] = []
      const address = client(ctx)
      // No identity: one shared bucket, never no throttling at all.
      keys.push(typeof address === 'string' && address.length > 0 ? `authspec:fail:c:${clientBucket(address, prefix)}` : UNIDENTIFIED)
      if (credentialId !== undefined) keys.push(`authspec:fail:k:${credentialId}`)
      return keys
    },
    check: (counts, now) => {
      if (counts === undefined) return undefined
      for (const count of counts) {
        if (over(count, threshold, window, now)) return rateLimited('failures', count, failures, window, now, 'too many failed attempts; retry later')
      }
      return undefined
    },
    checkReserved: (counts, now) => {
      for (const count of counts) {
        if (over(count, reservedThreshold, window, now)) return rateLimited('failures', count, failures, window, now, 'too many failed attempts; retry later')
      }
      return undefined
    },
  }
}
