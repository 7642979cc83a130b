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

/** Room for floating-point noise in a weighted count (0.8 × 5 is 4.000000000000001). */
const NOISE = 1e-9

/**
 * Whether `limit` uses are already counted in `counts`, so the next one must wait. The estimate
 * is rounded up: a part of a use carried over from the previous window counts as a whole one.
 * Rounding down would let one more in at every window boundary (5 failures a moment before it
 * weigh 4.99 a moment after). This is the moment {@link retryAfter} waits for: the estimate at
 * `limit - 1` or below.
 */
export function reached(counts: WindowCount, limit: number, window: number, now: number): boolean {
  return estimate(counts, window, now) > limit - 1 + NOISE
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
    if (wait <= remaining) return wholeSeconds(wait)
  }
  const next = counts.current > 0 ? window * (1 - target / counts.current) : 0
  return wholeSeconds(remaining + next)
}

/** Milliseconds as whole seconds, rounded up (≥ 1); 28 000.000001 ms of floating-point noise is 28 s, not 29. */
function wholeSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000 - 1e-6))
}
