import type { WindowCount } from './key-store.js'

/**
 * Sliding-window counter: the count of the current fixed window plus the previous window's
 * count weighted by the part of it that still lies inside the sliding window. Costs two
 * counters per limit, both read in the same round trip, and avoids the fixed window's
 * double burst at a window boundary (2 × limit within a few milliseconds).
 */
export function estimate(counts: WindowCount, window: number, now: number): number {
  // Nothing carried over from the previous window (the usual case): no division needed.
  if (counts.previous === 0) return counts.current
  const elapsed = (now % window) / window
  return counts.previous * (1 - elapsed) + counts.current
}

/**
 * Seconds until the estimate falls to `limit - 1` or below, if nothing more is counted
 * (≥ 1). Inside the current window the previous window's weight decays linearly; after its
 * end, the current window becomes the previous one and decays in turn.
 */
export function retryAfter(counts: WindowCount, limit: number, window: number, now: number): number {
  const target = Math.max(0, limit - 1)
  const into = now % window
  const remaining = window - into
  const current = estimate(counts, window, now)
  if (counts.previous > 0 && counts.current <= target) {
    const wait = ((current - target) * window) / counts.previous
    if (wait <= remaining) return Math.max(1, Math.ceil(wait / 1000))
  }
  const next = counts.current > 0 ? window * (1 - target / counts.current) : 0
  return Math.max(1, Math.ceil((remaining + next) / 1000))
}
