import { optionNames } from '../internal/check-options.js'
import type { DpopReplayStore } from '../resource-server/dpop-replay.js'
import { authspecCountersObjects, type DurableObjectNamespaceLike } from './counters-objects.js'

/** The part of a Durable Object's storage the replay object uses, besides get/put/delete. */
export interface ReplayStorageLike {
  get<T>(keys: string[]): Promise<Map<string, T>>
  put<T>(entries: Record<string, T>): Promise<void>
  delete(keys: string[]): Promise<number>
  list<T>(options: { prefix: string }): Promise<Map<string, T>>
  getAlarm(): Promise<number | null>
  setAlarm(scheduledTime: number): Promise<void>
}

/** Storage keys of recorded proof ids: `j:<jti>` → the time (ms) the id may be forgotten. */
const PREFIX = 'j:'

/**
 * Record `jti` in one key thumbprint's object until `expiresAt`: `true` when it was not held
 * (fresh). The storage's input gate makes the read and the write one atomic step, so of parallel
 * uses of one proof exactly one is fresh. An alarm at the earliest expiry sweeps old ids.
 */
export async function useProofId(storage: ReplayStorageLike, jti: string, expiresAt: number, now: number): Promise<boolean> {
  const key = PREFIX + jti
  const known = (await storage.get<number>([key])).get(key)
  if (typeof known === 'number' && known > now) return false
  await storage.put({ [key]: expiresAt })
  const alarm = await storage.getAlarm()
  if (alarm === null || alarm > expiresAt) await storage.setAlarm(expiresAt)
  return true
}

/** The alarm: forget expired ids; wake again at the earliest one left. */
export async function sweepProofIds(storage: ReplayStorageLike, now: number): Promise<void> {
  const held = await storage.list<number>({ prefix: PREFIX })
  const expired: string[] = []
  let next = Number.POSITIVE_INFINITY
  for (const [key, until] of held) {
    if (!(typeof until === 'number' && until > now)) expired.push(key)
    else if (until < next) next = until
  }
  // Storage deletes at most 128 keys per call.
  for (let i = 0; i < expired.length; i += 128) await storage.delete(expired.slice(i, i + 128))
  if (next !== Number.POSITIVE_INFINITY) await storage.setAlarm(next)
}

/** Options of {@link durableObjectReplayStore}. */
export interface DurableObjectReplayOptions {
  /**
   * The `AuthspecCounters` namespace binding (the same class as the counters), or how to find it
   * in `ctx.env`: `(env) => env.COUNTERS`. A missing or misnamed binding is a config error.
   */
  namespace: DurableObjectNamespaceLike | ((env: never) => DurableObjectNamespaceLike)
}

const REPLAY_OPTIONS = optionNames<DurableObjectReplayOptions>()('namespace')

/**
 * DPoP proof ids (`jti`) in Durable Objects, shared by every isolate and location:
 * `dpop: { mode, replayStore: durableObjectReplayStore({ namespace: (env) => env.COUNTERS }) }`.
 * One object per client key thumbprint (`jkt`) holds that key's recent ids; a proof costs one
 * call to it. Ids are swept by the object's alarm once their proof is too old.
 */
export function durableObjectReplayStore(options: DurableObjectReplayOptions): DpopReplayStore {
  const objects = authspecCountersObjects('durableObjectReplayStore', options, REPLAY_OPTIONS)
  return {
    use: async (id, expiresAt, ctx) => {
      const post = objects(ctx)
      // The core's ids are `<jkt>.<jti>`: a thumbprint has no '.', so the first one splits them.
      const dot = id.indexOf('.')
      const [jkt, jti] = dot === -1 ? ['', id] : [id.slice(0, dot), id.slice(dot + 1)]
      return ((await post(`authspec:dpop:${jkt}`, { op: 'use', key: jti, expiresAt, now: Date.now() })) as { fresh?: unknown }).fresh === true
    },
  }
}
