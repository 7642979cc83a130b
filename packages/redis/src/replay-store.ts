import { AuthspecError } from '@authspec/core'
import { checkOptions, optionNames } from '@authspec/core/adapter'
import type { DpopReplayStore } from '@authspec/core/resource-server'
import type { Redis } from 'ioredis'

/** Options of {@link redisReplayStore}. */
export interface RedisReplayStoreOptions {
  /**
   * A connected ioredis client, shared by every request. Recommended, as for the key store:
   * `enableOfflineQueue: false` and a `commandTimeout`; the scheme also bounds each call by
   * `dpop.replayTimeout`.
   */
  client: Redis
  /** Prefix of every Redis key this store writes. @default "authspec:dpop:" */
  keyPrefix?: string
}

const REPLAY_OPTIONS = optionNames<RedisReplayStoreOptions>()('client', 'keyPrefix')

/** The shortest life of a recorded id, in milliseconds (an expiry already past still records it). */
const MIN_TTL = 1000

/**
 * DPoP proof ids (`jti`) on Redis, shared by every instance: `jwtBearer({ dpop: { mode,
 * replayStore: redisReplayStore({ client }) } })`. Each proof costs one `SET … NX PX` round
 * trip, atomic on the server, so of any number of parallel uses of one proof, on any number of
 * instances, exactly one is fresh. Ids expire with their proof's acceptance window, so Redis
 * holds at most the proofs of the last `maxAge + clockTolerance` seconds. A key that already
 * exists, whoever wrote it, is a replay; Redis down or slow is 503, never a grant.
 */
export function redisReplayStore(options: RedisReplayStoreOptions): DpopReplayStore {
  if (options === null || typeof options !== 'object') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'redisReplayStore: options object required')
  checkOptions('redisReplayStore', options, REPLAY_OPTIONS)
  const { client } = options
  if (client === null || typeof client !== 'object' || typeof client.set !== 'function') {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'redisReplayStore: client must be an ioredis client')
  }
  const prefix = options.keyPrefix ?? 'authspec:dpop:'
  if (typeof prefix !== 'string') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'redisReplayStore: keyPrefix must be a string')
  return {
    // PX (relative) rather than PXAT: the id lives as long on a Redis whose clock differs from ours.
    use: async (id, expiresAt) => (await client.set(prefix + id, '1', 'PX', Math.max(MIN_TTL, Math.ceil(expiresAt - Date.now())), 'NX')) === 'OK',
  }
}
