import { AuthspecError } from '@authspec/core'
import { windowKey, type KeyRecord, type LookupAnswer, type LookupQuery, type WindowCount, type WritableKeyStore, type CounterStore } from '@authspec/core/api-keys'
import { checkOptions, optionNames } from '@authspec/core/adapter'
import type { Redis } from 'ioredis'
import { HIT, LOOKUP, RELEASE, SWAP } from './scripts.js'

/** Options of {@link redisKeyStore}. */
export interface RedisKeyStoreOptions {
  /**
   * A connected ioredis client, created once per process and shared by every request (never a
   * connection per request). Recommended: `enableOfflineQueue: false` and a `commandTimeout`,
   * so that an outage fails fast (503) instead of queueing; the auth also bounds every call by
   * its own `timeout`.
   */
  client: Redis
  /** Prefix of every Redis key this store writes. @default "authspec:" */
  keyPrefix?: string
}

const REDIS_OPTIONS = optionNames<RedisKeyStoreOptions>()('client', 'keyPrefix')

/** API keys, usage counters and failure counters on Redis, shared by every instance. */
export interface RedisKeyStore<P extends object = object> extends WritableKeyStore<P>, CounterStore {
  get(hash: string): Promise<KeyRecord<P> | undefined>
  lookup(query: LookupQuery): Promise<LookupAnswer<P>>
  set(hash: string, record: KeyRecord<P>): Promise<void>
  update(hash: string, change: (current: KeyRecord<P> | undefined) => KeyRecord<P> | undefined): Promise<KeyRecord<P> | undefined>
  delete(hash: string): Promise<void>
  hit(keys: readonly string[], window: number, now: number): Promise<readonly WindowCount[]>
  peek(keys: readonly string[], window: number, now: number): Promise<readonly WindowCount[]>
  release(keys: readonly string[], window: number, now: number): Promise<void>
}

type Scripted = Redis & {
  authspecLookup(numberOfKeys: number, ...args: (string | number)[]): Promise<[string, number[], (number | 'miss')?, number?]>
  authspecHit(numberOfKeys: number, ...args: (string | number)[]): Promise<number[]>
  authspecRelease(numberOfKeys: number, ...keys: string[]): Promise<number>
  authspecSwap(numberOfKeys: number, key: string, expected: string, text: string, expiry: string): Promise<number>
}

/** Compare-and-set attempts of one `update` before it gives up (each conflict is another writer's success). */
const UPDATE_ATTEMPTS = 16

/** The PXAT argument of a record: its expiry in whole milliseconds, or '0' (none). */
const expiryOf = (record: KeyRecord<object>): string => (record.expiresAt === undefined ? '0' : String(Math.max(1, Math.ceil(record.expiresAt))))

function parse<P extends object>(text: string | null | undefined): KeyRecord<P> | undefined {
  if (text === null || text === undefined || text === '') return undefined
  try {
    return JSON.parse(text) as KeyRecord<P>
  } catch (error) {
    // A record that is not JSON is a fault of the data, reported as a store failure (503), never a grant.
    throw new AuthspecError('ERR_AUTHSPEC_UNAVAILABLE', 'redisKeyStore: a stored record is not valid JSON', { cause: error })
  }
}

function pairs(counts: readonly number[]): WindowCount[] {
  const out: WindowCount[] = []
  for (let i = 0; i < counts.length; i += 2) out.push({ current: Number(counts[i]), previous: Number(counts[i + 1]) })
  return out
}

/** The resolved options of one store. */
interface Resolved {
  readonly client: Scripted
  readonly prefix: string
}

/** Check the options (throws `ERR_AUTHSPEC_CONFIG`) and define the store's scripts on the client. */
function resolveRedisOptions(options: RedisKeyStoreOptions): Resolved {
  if (options !== null && typeof options === 'object') checkOptions('redisKeyStore', options, REDIS_OPTIONS)
  const client = options?.client as Scripted | undefined
  if (client === null || typeof client !== 'object' || typeof client.defineCommand !== 'function') {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'redisKeyStore: client must be an ioredis client')
  }
  const prefix = options.keyPrefix ?? 'authspec:'
  if (typeof prefix !== 'string') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'redisKeyStore: keyPrefix must be a string')
  if (typeof client.authspecLookup !== 'function') client.defineCommand('authspecLookup', { lua: LOOKUP })
  if (typeof client.authspecHit !== 'function') client.defineCommand('authspecHit', { lua: HIT })
  if (typeof client.authspecRelease !== 'function') client.defineCommand('authspecRelease', { lua: RELEASE })
  if (typeof client.authspecSwap !== 'function') client.defineCommand('authspecSwap', { lua: SWAP })
  return { client, prefix }
}

const recordKey = (prefix: string, hash: string): string => `${prefix}key:${hash}`

/** The current and previous window keys of each counter. */
function counterKeys(prefix: string, keys: readonly string[], window: number, now: number): string[] {
  const index = Math.floor(now / window)
  const out: string[] = []
  for (const key of keys) out.push(prefix + windowKey(key, index), prefix + windowKey(key, index - 1))
  return out
}

/** One script: failure counters, record, usage count. */
async function lookup<P extends object>({ client, prefix }: Resolved, { hash, now, count, peek, countMiss }: LookupQuery): Promise<LookupAnswer<P>> {
  const peekKeys = peek === undefined ? [] : counterKeys(prefix, peek.keys, peek.window, now)
  const keys = [recordKey(prefix, hash), ...peekKeys, ...(count === undefined ? [] : counterKeys(prefix, [count.key], count.window, now))]
  const weight = peek === undefined ? 0 : 1 - (now % peek.window) / peek.window
  const [text, counts, used, before] = await client.authspecLookup(
    keys.length,
    ...keys,
    peekKeys.length / 2,
    peek?.failures ?? 0,
    count === undefined ? '0' : '1',
    String(weight),
    count === undefined ? 0 : count.window * 2,
    countMiss === true && peek !== undefined ? '1' : '0',
    peek === undefined ? 0 : peek.window * 2,
  )
  const record = parse<P>(text)
  const answer: { record: KeyRecord<P> | undefined; count?: WindowCount; peek?: WindowCount[]; missCounted?: boolean } = { record }
  if (peek !== undefined) answer.peek = pairs(counts)
  if (used === 'miss') answer.missCounted = true
  else if (used !== undefined) answer.count = { current: Number(used), previous: Number(before) }
  return answer
}

/** Optimistic: read, change, write only if nobody wrote in between (one script), else again. */
async function update<P extends object>({ client, prefix }: Resolved, hash: string, change: (current: KeyRecord<P> | undefined) => KeyRecord<P> | undefined): Promise<KeyRecord<P> | undefined> {
  for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
    const text = (await client.get(recordKey(prefix, hash))) ?? ''
    const next = change(parse<P>(text))
    if (next === undefined) return undefined
    if ((await client.authspecSwap(1, recordKey(prefix, hash), text, JSON.stringify(next), expiryOf(next))) === 1) return next
  }
  throw new AuthspecError('ERR_AUTHSPEC_UNAVAILABLE', `redisKeyStore: the record kept changing during an update (${UPDATE_ATTEMPTS} attempts)`)
}

/**
 * The Redis store of `@authspec/redis`: `apiKey({ store: redisKeyStore({ client }), prefix })`.
 * A request costs one round trip (one script: failure counters, record, usage count); a
 * rejected one a second (the failure increment). Records are JSON under `<prefix>key:<hash>`;
 * a record with `expiresAt` expires in Redis then too. Any other program may write records in
 * the same form.
 */
export function redisKeyStore<P extends object = object>(options: RedisKeyStoreOptions): RedisKeyStore<P> {
  const resolved = resolveRedisOptions(options)
  const { client, prefix } = resolved
  return {
    get: async (hash) => parse<P>(await client.get(recordKey(prefix, hash))),
    lookup: (query) => lookup<P>(resolved, query),
    set: async (hash, record) => {
      const text = JSON.stringify(record)
      if (record.expiresAt !== undefined) await client.set(recordKey(prefix, hash), text, 'PXAT', expiryOf(record))
      else await client.set(recordKey(prefix, hash), text)
    },
    update: (hash, change) => update(resolved, hash, change),
    delete: async (hash) => {
      await client.del(recordKey(prefix, hash))
    },
    hit: async (keys, window, now) => {
      if (keys.length === 0) return []
      const names = counterKeys(prefix, keys, window, now)
      return pairs(await client.authspecHit(names.length, ...names, window * 2))
    },
    release: async (keys, window, now) => {
      if (keys.length === 0) return
      const index = Math.floor(now / window)
      const names = keys.map((key) => prefix + windowKey(key, index))
      await client.authspecRelease(names.length, ...names)
    },
    peek: async (keys, window, now) => {
      if (keys.length === 0) return []
      const values = await client.mget(counterKeys(prefix, keys, window, now))
      return pairs(values.map((value) => Number(value ?? 0)))
    },
  }
}
