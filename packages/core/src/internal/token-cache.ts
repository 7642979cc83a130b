import { Lru } from './lru.js'

interface Entry<O> {
  readonly outcome: O
  /** Valid from this time (ms since epoch): `nbf` minus the tolerance. */
  readonly from: number
  /** Valid until this time (ms, exclusive): the earliest of `exp`, `iat + maxTokenAge` (plus tolerance) and insertion + `maxTtl`. */
  readonly until: number
}

/** The time limits of one verified token, in seconds (claims) and seconds (tolerance, max age). */
export interface TokenTimes {
  readonly exp: number | undefined
  readonly nbf: number | undefined
  readonly iat: number | undefined
  readonly tolerance: number
  readonly maxTokenAge: number | undefined
}

/**
 * Verified tokens by their compact serialization: a bounded LRU whose entries live no longer
 * than the token's own validity nor `maxTtl`; the time window is checked again on every hit.
 * Only successes are stored.
 */
export class TokenCache<O> {
  readonly #lru: Lru<string, Entry<O>>
  readonly #maxTtl: number

  /** `max` entries, each kept at most `maxTtl` seconds. */
  constructor(max: number, maxTtl: number) {
    this.#lru = new Lru(max)
    this.#maxTtl = maxTtl * 1000
  }

  /** Entries held. */
  get size(): number {
    return this.#lru.size
  }

  /** The cached outcome of `token`, if still within its validity window. */
  get(token: string): O | undefined {
    const entry = this.#lru.get(token)
    if (entry === undefined) return undefined
    const now = Date.now()
    if (now >= entry.until) {
      this.#lru.delete(token)
      return undefined
    }
    return now < entry.from ? undefined : entry.outcome
  }

  /** Remember a successful verification of `token`. */
  set(token: string, outcome: O, times: TokenTimes): void {
    const now = Date.now()
    const { exp, nbf, iat, tolerance, maxTokenAge } = times
    let until = now + this.#maxTtl
    if (exp !== undefined) until = Math.min(until, (exp + tolerance) * 1000)
    if (maxTokenAge !== undefined && iat !== undefined) until = Math.min(until, (iat + maxTokenAge + tolerance) * 1000)
    if (until <= now) return
    const from = nbf === undefined ? -Infinity : (nbf - tolerance) * 1000
    this.#lru.set(token, { outcome, from, until })
  }
}
