import type { AuthContext, Awaitable } from '../types.js'

/** What a key store holds for one key, keyed by the key's hash (`hashApiKey`). */
export interface KeyRecord<P extends object = object> {
  /** Public identifier (logs, dashboards); `generateApiKey` gives one. */
  readonly id: string
  /** What a successful request gets as its principal. */
  readonly principal: P
  /** Granted scopes: requirements may ask them of the scheme (403 when short). */
  readonly scopes?: readonly string[] | undefined
  /** Milliseconds since the epoch after which the key is refused (401). */
  readonly expiresAt?: number | undefined
  /** A revoked key is refused (401). */
  readonly revoked?: boolean | undefined
}

/**
 * Where API keys are looked up: by hash, never by comparing against every key. `get` may
 * return the record directly or a promise; a rejection or a timeout answers 503, never a grant.
 * Records can be written through a store's own `set` or by any other code that writes the
 * same database.
 */
export interface KeyStore<P extends object = object> {
  /** The record of `hash`. `ctx` is the request's (a store may read its bindings from `ctx.env`). */
  get(hash: string, ctx?: AuthContext): Awaitable<KeyRecord<P> | undefined>
  /**
   * Optional: the lookup, the usage count and the failure-counter reads in one round trip
   * (the Redis store does it in one script call). Without it the core calls `get` and the
   * counter store separately.
   */
  lookup?(query: LookupQuery, ctx?: AuthContext): Awaitable<LookupAnswer<P>>
}

/** A key store that can also be written. */
export interface WritableKeyStore<P extends object = object> extends KeyStore<P> {
  /** Store `record` under `hash`, replacing what was there. */
  set(hash: string, record: KeyRecord<P>): Awaitable<void>
  /** Forget `hash`. */
  delete(hash: string): Awaitable<void>
  /**
   * Optional: replace the record of `hash` by `change(current)` in one atomic step, so that no
   * other write lands between the read and the write (`change` returning `undefined` writes
   * nothing). Resolves to the record written, or `undefined`. `change` must be pure: a store
   * may call it again after a conflict. With it, `rotateApiKey` and `revokeApiKey` cannot lose
   * each other (memory: synchronous; Redis: a compare-and-set script). Without it they read,
   * then write: a revocation racing a rotation can be lost (last writer wins).
   */
  update?(hash: string, change: (current: KeyRecord<P> | undefined) => KeyRecord<P> | undefined): Awaitable<KeyRecord<P> | undefined>
}

/** Counts of one counter in the current and the previous fixed window. */
export interface WindowCount {
  readonly current: number
  readonly previous: number
}

/**
 * Shared counters in fixed windows (the sliding-window estimate is computed from the current
 * and previous window). Windows are numbered `floor(now / window)` from the caller's clock.
 */
export interface CounterStore {
  /** Add one to each counter in its current window and return the counts after it. `ctx`: the request's (bindings in `ctx.env`). */
  hit(keys: readonly string[], window: number, now: number, ctx?: AuthContext): Awaitable<readonly WindowCount[]>
  /** The counts of each counter, without adding. */
  peek(keys: readonly string[], window: number, now: number, ctx?: AuthContext): Awaitable<readonly WindowCount[]>
  /**
   * Optional: take back one `hit` of each counter in the window of `now` (never below zero).
   * With it, `throttled()` reserves an attempt *before* calling `verify` and gives it back when
   * the credential was good, so no more than `failures` checks run per window, however many
   * requests arrive at once. The memory store has it.
   */
  release?(keys: readonly string[], window: number, now: number, ctx?: AuthContext): Awaitable<void>
}

/** One round trip's worth of work for a stored-key request. */
export interface LookupQuery {
  readonly hash: string
  /** Milliseconds since the epoch (the caller's clock numbers the windows). */
  readonly now: number
  /** Count one use of this counter, only when a record exists. `window` in ms. */
  readonly count?: { readonly key: string; readonly window: number } | undefined
  /**
   * Read these failure counters (no increment). `window` in ms. When the sliding estimate of
   * any of them reaches `failures`, the request is throttled: the store should then skip the
   * record read and the count (a throttled request is no lookup oracle).
   */
  readonly peek?: { readonly keys: readonly string[]; readonly window: number; readonly failures: number } | undefined
  /**
   * When true (and `peek` is given), a store that finds no record adds one to each `peek`
   * counter in the same atomic step and answers `missCounted: true`: parallel guesses of
   * unknown keys then see each other's failures, so at most `failures` record reads run per
   * window and client. A store that ignores it is still correct, only not atomic.
   */
  readonly countMiss?: boolean | undefined
}

/** The answer to a {@link LookupQuery}. */
export interface LookupAnswer<P extends object = object> {
  readonly record: KeyRecord<P> | undefined
  /** Counts after the increment, when `count` was asked and a record exists. */
  readonly count?: WindowCount | undefined
  /** The counts of `peek.keys`, in order, when asked. */
  readonly peek?: readonly WindowCount[] | undefined
  /** True when the store found no record and already counted the failure (`countMiss`). */
  readonly missCounted?: boolean | undefined
}

/** The counter key of window `index` (shared by every store so that they agree). */
export function windowKey(key: string, index: number): string {
  return `${key}:${index}`
}
