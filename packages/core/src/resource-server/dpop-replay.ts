import type { AuthContext, Awaitable } from '../types.js'

/**
 * Remembers DPoP proof identifiers (`jti`, RFC 9449 §11.1) until their proof would be too old
 * anyway. A shared store (Redis, Workers KV / Durable Objects) makes replay detection hold across
 * processes; an error it throws (store down) answers 503, never a grant.
 */
export interface DpopReplayStore {
  /**
   * Record `id` until `expiresAt` (ms since epoch). `true` when `id` was not recorded before
   * (the proof is fresh), `false` when it was (a replay). `ctx` is the request's context (its
   * `env` holds Workers bindings).
   */
  use(id: string, expiresAt: number, ctx?: AuthContext): Awaitable<boolean>
}

/** The in-memory store is full of live entries: refuse rather than forget one (that would allow its replay). */
export class ReplayStoreFull extends Error {
  constructor() {
    super('DPoP replay store full')
    this.name = 'ReplayStoreFull'
  }
}

/**
 * A bounded in-memory {@link DpopReplayStore} for one process. Entries expire with their proof's
 * acceptance window; when `max` live entries are held, new proofs are refused (503) until some
 * expire, so no live entry is ever dropped.
 */
export class MemoryReplayStore implements DpopReplayStore {
  readonly max: number
  readonly #seen = new Map<string, number>()

  /** @param max most proof ids held at once. @default 100000 */
  constructor(max = 100_000) {
    this.max = max
  }

  /** Ids held. */
  get size(): number {
    return this.#seen.size
  }

  use(id: string, expiresAt: number): boolean {
    const now = Date.now()
    const known = this.#seen.get(id)
    if (known !== undefined && known > now) return false
    if (known !== undefined) this.#seen.delete(id)
    if (this.#seen.size >= this.max) this.#sweep(now)
    if (this.#seen.size >= this.max) throw new ReplayStoreFull()
    this.#seen.set(id, expiresAt)
    return true
  }

  /** Drop expired ids: insertion order is close to expiry order, so stop at the first live one after a full pass is not needed. */
  #sweep(now: number): void {
    for (const [id, until] of this.#seen) {
      if (until <= now) this.#seen.delete(id)
    }
  }
}
