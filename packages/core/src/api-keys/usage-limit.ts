import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { CounterStore, WindowCount } from './key-store.js'
import { over, rateLimited } from './rate-limited.js'
import { checkCounterStore } from './throttle.js'
import type { VerifyOutcome } from '../types.js'
import { positiveInteger, seconds } from '../internal/option-schema.js'

/**
 * A usage limit per API key: at most `requests` per sliding `window`, counted in the shared
 * store, so every instance sees the same count. Requests over the limit are counted too (a
 * client that keeps hammering stays limited) and answered 429, never 401.
 */
export interface UsageLimitOptions {
  /** Requests allowed per window and key. */
  requests: number
  /** Window length in seconds. @default 60 */
  window?: number
  /** Where the counts live. @default the key store, when it counts (memory, Redis) */
  counters?: CounterStore
}

const LIMIT_OPTIONS = optionNames<UsageLimitOptions>()('requests', 'window', 'counters')

/** A checked usage limit. */
export interface UsageLimit {
  readonly requests: number
  /** Milliseconds. */
  readonly window: number
  readonly counters: CounterStore | undefined
  /** The counter key of a key id. */
  key(id: string): string
  /** The 429 outcome when `counts` is over the limit. */
  check(counts: WindowCount | undefined, now: number): VerifyOutcome<never> | undefined
}

/** Check `options` now (config errors at start-up). */
export function usageLimit(options: UsageLimitOptions): UsageLimit {
  if (options === null || typeof options !== 'object') throw configError('apiKey: limit must be an object { requests, window }')
  checkOptions('apiKey: limit', options, LIMIT_OPTIONS)
  const { requests } = options
  positiveInteger('apiKey: limit.requests', requests)
  const windowSeconds = seconds('apiKey: limit.window', options.window ?? 60, { min: 1 })
  checkCounterStore('apiKey: limit.counters', options.counters)
  const window = Math.round(windowSeconds * 1000)
  return {
    requests,
    window,
    counters: options.counters,
    key: (id) => `authspec:use:${id}`,
    check: (counts, now) =>
      over(counts, requests, window, now) ? rateLimited('usage', counts!, requests, window, now, 'the usage limit of this API key is reached') : undefined,
  }
}
