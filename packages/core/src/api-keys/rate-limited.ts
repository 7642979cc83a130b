import type { VerifyOutcome } from '../types.js'
import type { WindowCount } from './key-store.js'
import { reached, retryAfter } from './sliding-window.js'

/**
 * The 429 outcome of a limit: `Retry-After` plus the IETF httpapi RateLimit headers
 * (draft-ietf-httpapi-ratelimit-headers: `RateLimit-Policy: "name";q=…;w=…` and
 * `RateLimit: "name";r=0;t=…`), in seconds.
 */
export function rateLimited(policy: string, counts: WindowCount, limit: number, window: number, now: number, detail: string): VerifyOutcome<never> {
  const wait = retryAfter(counts, limit, window, now)
  return {
    ok: false,
    reason: 'rate_limited',
    detail,
    retryAfter: wait,
    headers: {
      'RateLimit-Policy': `"${policy}";q=${limit};w=${Math.round(window / 1000)}`,
      RateLimit: `"${policy}";r=0;t=${wait}`,
    },
  }
}

/**
 * True when `counts`, read after this request's own hit, are over `limit`: the uses before it
 * had already reached the limit (see {@link reached}).
 */
export function over(counts: WindowCount | undefined, limit: number, window: number, now: number): boolean {
  return counts !== undefined && reached(counts, limit + 1, window, now)
}
