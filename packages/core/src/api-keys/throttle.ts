import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { positiveInteger, seconds } from '../internal/option-schema.js'
import type { AuthContext, VerifyOutcome } from '../types.js'
import type { CounterStore, WindowCount } from './key-store.js'
import { over, rateLimited } from './rate-limited.js'
import { reached } from './sliding-window.js'
import { clientBucket } from './client-key.js'
import { Lru } from '../internal/lru.js'

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
  /**
   * Counters are kept apart per name: schemes with different names never throttle each other
   * (5 bad API keys do not lock an address out of Basic). Give two schemes one name to make
   * them share counters. @default the scheme's kind: `"basic"`, `"bearer"`, `"apiKey"`, or
   * `"key:<prefixes>"` for `apiKey({ store })`
   */
  name?: string
}

export const THROTTLE_OPTIONS = optionNames<ThrottleOptions>()('failures', 'window', 'counters', 'client', 'ipv6Prefix', 'name')

/** A counter store given in options must have the methods it will be called with (config error at start-up, not a 503 per request). */
export function checkCounterStore(what: string, counters: unknown): void {
  if (counters === undefined) return
  const c = counters as Partial<CounterStore> | null
  if (c === null || typeof c !== 'object' || typeof c.hit !== 'function' || typeof c.peek !== 'function') {
    throw configError(`${what} must be a counter store with hit() and peek() methods`)
  }
}

/** A checked throttle. */
export interface Throttle {
  readonly failures: number
  /** Milliseconds. */
  readonly window: number
  readonly counters: CounterStore | undefined
  /** The failure counters of this request: per client, then (when given) per credential id. */
  keys(ctx: AuthContext, credentialId: string | undefined): readonly string[]
  /**
   * The 429 outcome when any of `counts` (in the order of `keys`) has reached its limit.
   * `reserved`: the counts were read after this attempt's own hit, so each may be one higher.
   */
  check(counts: readonly WindowCount[] | undefined, now: number, reserved?: boolean): VerifyOutcome<never> | undefined
}

/** What the caller decides about a throttle: its counters' name and the per-credential limit. */
export interface ThrottleDefaults {
  /** The default of `name`. */
  readonly name: string
  /** Failures allowed per credential id, across every client. @default failures */
  readonly credentialFailures?: ((failures: number) => number) | number | undefined
}

const MESSAGE = 'too many failed attempts; retry later'

/** Counts read after a reserved attempt's hit, without it: a refused attempt is given back, so Retry-After must not wait for it. */
const withoutOwnHit = (counts: WindowCount): WindowCount => ({ current: Math.max(0, counts.current - 1), previous: counts.previous })

/** Check `options` now (config errors at start-up). */
export function createThrottle(kind: string, options: ThrottleOptions, known: readonly string[], defaults: ThrottleDefaults): Throttle {
  if (options === null || typeof options !== 'object') throw configError(`${kind}: throttle must be an object`)
  const where = known === THROTTLE_OPTIONS ? `${kind}: throttle` : kind
  checkOptions(where, options, known)
  const failures = positiveInteger(`${kind}: throttle.failures`, options.failures ?? 10)
  const windowSeconds = seconds(`${kind}: throttle.window`, options.window ?? 300, { min: 1 })
  const client = options.client ?? ((ctx: AuthContext) => ctx.client)
  if (typeof client !== 'function') throw configError(`${kind}: throttle.client must be a function`)
  checkCounterStore(`${kind}: throttle.counters`, options.counters)
  const prefix = options.ipv6Prefix ?? 64
  if (typeof prefix !== 'number' || !Number.isInteger(prefix) || prefix < 1 || prefix > 128) throw configError(`${kind}: throttle.ipv6Prefix must be an integer from 1 to 128 (bits)`)
  const name = options.name ?? defaults.name
  if (typeof name !== 'string' || name.length === 0) throw configError(`${kind}: throttle.name must be a non-empty string`)
  const perCredential = defaults.credentialFailures
  const credentialFailures = positiveInteger(`${kind}: credentialFailures`, typeof perCredential === 'function' ? perCredential(failures) : (perCredential ?? failures))
  const window = Math.round(windowSeconds * 1000)
  const base = `authspec:fail:${name}:`
  const unidentified = Object.freeze([`${base}unidentified`])
  // The counter key of recent addresses, built once: a request then costs one lookup of its
  // address instead of building and hashing a new key string (bounded, least recently used out).
  const clientKeys = new Lru<string, readonly string[]>(1024)
  const clientKey = (address: string): readonly string[] => {
    let keys = clientKeys.get(address)
    if (keys === undefined) clientKeys.set(address, (keys = Object.freeze([`${base}c:${clientBucket(address, prefix)}`])))
    return keys
  }
  return {
    failures,
    window,
    counters: options.counters,
    keys: (ctx, credentialId) => {
      const address = client(ctx)
      // No identity: one shared bucket, never no throttling at all.
      const keys = typeof address === 'string' && address.length > 0 ? clientKey(address) : unidentified
      return credentialId === undefined ? keys : [keys[0]!, `${base}k:${credentialId}`]
    },
    check: (counts, now, reserved = false) => {
      if (counts === undefined) return undefined
      for (let i = 0; i < counts.length; i++) {
        const limit = i === 0 ? failures : credentialFailures
        // Reaching the limit blocks the next attempt; counts read after this attempt's own hit include it.
        const seen = counts[i]!
        if (reserved ? over(seen, limit, window, now) : reached(seen, limit, window, now)) return rateLimited('failures', reserved ? withoutOwnHit(seen) : seen, limit, window, now, MESSAGE)
      }
      return undefined
    },
  }
}
