import type { Awaitable } from './outcome-types.js'

/** The rejection of {@link withTimeout} when its time is up. */
export class TimeoutError extends Error {}

/**
 * `pending`, or a rejection with a {@link TimeoutError} after `ms` milliseconds; the timer is
 * cleared as soon as `pending` settles.
 */
export function withTimeout<T>(pending: Awaitable<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timed = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms)
  })
  return Promise.race([pending, timed]).finally(() => clearTimeout(timer))
}
