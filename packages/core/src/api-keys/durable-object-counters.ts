import { optionNames } from '../internal/check-options.js'
import type { AuthContext } from '../types.js'
import type { CounterStore, WindowCount } from './key-store.js'
import { authspecCountersObjects, type DurableObjectNamespaceLike } from './counters-objects.js'
import { sweepProofIds, useProofId, type ReplayStorageLike } from './durable-object-replay.js'

export type { DurableObjectNamespaceLike } from './counters-objects.js'

/** The part of a Durable Object's state the counter object uses. */
export interface DurableObjectStateLike {
  readonly storage: {
    get<T>(keys: string[]): Promise<Map<string, T>>
    put<T>(entries: Record<string, T>): Promise<void>
    delete(keys: string[]): Promise<number>
  }
}

interface CounterRequest {
  op: 'hit' | 'peek' | 'release' | 'use'
  key: string
  window: number
  now: number
  /** `use` (a DPoP proof id): until when it is remembered, ms. */
  expiresAt?: number
}

/** What one counter object stores: a single entry, its current and previous window. */
interface StoredCounter {
  index: number
  current: number
  previous: number
}

/** The counts of `stored` as seen from window `index` (older windows have slid out). */
function seenFrom(stored: StoredCounter | undefined, index: number): StoredCounter {
  if (stored === undefined || typeof stored !== 'object' || !(stored.index >= index - 1)) return { index, current: 0, previous: 0 }
  if (stored.index === index - 1) return { index, current: 0, previous: stored.current }
  return stored
}

/**
 * The Durable Object behind {@link durableObjectCounterStore}: export it from your Worker and
 * bind it (`[[durable_objects.bindings]] name = "COUNTERS", class_name = "AuthspecCounters"`).
 * One object per counter; its storage's input gate makes each read-increment-write atomic, which
 * Workers KV cannot offer. Each object stores one entry (its current and previous window),
 * rewritten in place, so its storage never grows with the number of windows. The same class
 * holds DPoP proof ids for `durableObjectReplayStore`, in objects of their own.
 */
export class AuthspecCounters {
  readonly #storage: DurableObjectStateLike['storage']

  constructor(state: DurableObjectStateLike) {
    this.#storage = state.storage
  }

  async fetch(request: Request): Promise<Response> {
    const { op, key, window, now, expiresAt } = (await request.json()) as CounterRequest
    // The same class holds DPoP proof ids (durableObjectReplayStore), in objects of their own.
    if (op === 'use') return Response.json({ fresh: await useProofId(this.#replayStorage(), key, Number(expiresAt), now) })
    const index = Math.floor(now / window)
    const found = await this.#storage.get<StoredCounter>([COUNTER_ENTRY])
    const counter = { ...seenFrom(found.get(COUNTER_ENTRY), index) }
    if (op === 'hit') counter.current++
    if (op === 'release' && counter.index === index && counter.current > 0) counter.current--
    if (op !== 'peek') await this.#storage.put({ [COUNTER_ENTRY]: counter })
    return Response.json({ current: counter.current, previous: counter.previous })
  }

  /** Runs when a replay object's earliest proof id has expired (counter objects set no alarm). */
  async alarm(): Promise<void> {
    await sweepProofIds(this.#replayStorage(), Date.now())
  }

  #replayStorage(): ReplayStorageLike {
    return this.#storage as DurableObjectStateLike['storage'] & ReplayStorageLike
  }
}

/** The one storage key of a counter object. */
const COUNTER_ENTRY = 'counter'

/** Options of {@link durableObjectCounterStore}. */
export interface DurableObjectCounterOptions {
  /**
   * The `AuthspecCounters` namespace binding, or how to find it in `ctx.env`: `(env) => env.COUNTERS`.
   * A missing or misnamed binding is a config error (`ERR_AUTHSPEC_CONFIG`): at creation for a
   * binding given directly, else on the request that finds it missing (a 500, never a 503).
   */
  namespace: DurableObjectNamespaceLike | ((env: never) => DurableObjectNamespaceLike)
}

const DO_OPTIONS = optionNames<DurableObjectCounterOptions>()('namespace')

/**
 * Shared counters on Cloudflare Durable Objects (usage limits and failed-auth throttling that
 * hold across isolates and locations): `apiKey({ store: kvKeyStore(…), limit: { requests, counters },
 * throttle: { counters } })`. Each counter is one object (`idFromName`); a request costs one
 * call per counter, in parallel, on top of the key lookup.
 */
export function durableObjectCounterStore(options: DurableObjectCounterOptions): CounterStore {
  const objects = authspecCountersObjects('durableObjectCounterStore', options, DO_OPTIONS)
  const call = (op: CounterRequest['op'], keys: readonly string[], window: number, now: number, ctx: AuthContext | undefined): Promise<WindowCount[]> => {
    const post = objects(ctx)
    return Promise.all(
      keys.map(async (key) => {
        const counts = (await post(key, { op, key, window, now })) as WindowCount
        return { current: Number(counts.current), previous: Number(counts.previous) }
      }),
    )
  }
  return {
    hit: (keys, window, now, ctx) => call('hit', keys, window, now, ctx),
    peek: (keys, window, now, ctx) => call('peek', keys, window, now, ctx),
    // Inside the object too: throttled() can reserve an attempt before verify and give it back.
    release: async (keys, window, now, ctx) => {
      await call('release', keys, window, now, ctx)
    },
  }
}
