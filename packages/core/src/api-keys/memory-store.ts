import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { Lru } from '../internal/lru.js'
import { estimate } from './sliding-window.js'
import { windowKey, type CounterStore, type KeyRecord, type LookupAnswer, type LookupQuery, type WindowCount, type WritableKeyStore } from './key-store.js'

/** Options of {@link memoryCounterStore}. */
export interface MemoryCounterOptions {
  /** Most counters held (two per counted key: current and previous window); the least recently used are evicted. @default 100000 */
  maxCounters?: number
}

/** Options of {@link memoryKeyStore}. */
export interface MemoryKeyStoreOptions extends MemoryCounterOptions {
  /** Most records held; `set` beyond it throws. @default 1000000 */
  maxKeys?: number
}

const COUNTER_OPTIONS = optionNames<MemoryCounterOptions>()('maxCounters')
const KEY_STORE_OPTIONS = optionNames<MemoryKeyStoreOptions>()(...COUNTER_OPTIONS, 'maxKeys')

function positiveInteger(kind: string, name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw configError(`${kind}: ${name} must be a positive integer`)
  return value
}

/** In-process counters (one instance only: use the Redis store to share them), bounded and evicting. */
export interface MemoryCounterStore extends CounterStore {
  hit(keys: readonly string[], window: number, now: number): readonly WindowCount[]
  peek(keys: readonly string[], window: number, now: number): readonly WindowCount[]
  /** Counters held now. */
  readonly size: number
}

const ZERO: WindowCount = Object.freeze({ current: 0, previous: 0 })
const zero = (): WindowCount => ZERO

/**
 * Counters in this process, for usage limits and failed-auth throttling on one instance. At
 * most `maxCounters` are held; under a flood of distinct keys the least recently used are
 * evicted (an evicted failure counter starts again at zero, so memory stays bounded at the cost
 * of forgetting the oldest offenders first).
 */
export function memoryCounterStore(options: MemoryCounterOptions = {}): MemoryCounterStore {
  if (options === null || typeof options !== 'object') throw configError('memoryCounterStore: options must be an object')
  checkOptions('memoryCounterStore', options, COUNTER_OPTIONS)
  return counterStore(options)
}

function counterStore(options: MemoryCounterOptions): MemoryCounterStore {
  const counters = new Lru<string, number>(positiveInteger('memoryCounterStore', 'maxCounters', options.maxCounters, 100_000))
  const read = (key: string, index: number): WindowCount => ({
    current: counters.get(windowKey(key, index)) ?? 0,
    previous: counters.get(windowKey(key, index - 1)) ?? 0,
  })
  return {
    hit: (keys, window, now) => {
      const index = Math.floor(now / window)
      return keys.map((key) => {
        const name = windowKey(key, index)
        const current = (counters.get(name) ?? 0) + 1
        counters.set(name, current)
        return { current, previous: counters.get(windowKey(key, index - 1)) ?? 0 }
      })
    },
    peek: (keys, window, now) => {
      // No counter held at all (no failure, no use counted yet): every count is zero, without
      // building and hashing two window-key strings per key.
      if (counters.size === 0) return keys.map(zero)
      const index = Math.floor(now / window)
      return keys.map((key) => read(key, index))
    },
    get size() {
      return counters.size
    },
  }
}

/** The in-memory key store: records, usage counters and failure counters of this process. */
export interface MemoryKeyStore<P extends object = object> extends WritableKeyStore<P>, MemoryCounterStore {
  get(hash: string): KeyRecord<P> | undefined
  lookup(query: LookupQuery): LookupAnswer<P>
  /** Records held now. */
  readonly keys: number
}

/**
 * Keys in this process's memory: for tests, development and single-instance services. Bounded:
 * at most `maxKeys` records (`set` beyond it throws) and `maxCounters` counters (evicting).
 * Answers synchronously, so a stored key costs no promise on the hot path.
 */
export function memoryKeyStore<P extends object = object>(options: MemoryKeyStoreOptions = {}): MemoryKeyStore<P> {
  if (options === null || typeof options !== 'object') throw configError('memoryKeyStore: options must be an object')
  checkOptions('memoryKeyStore', options, KEY_STORE_OPTIONS)
  const maxKeys = positiveInteger('memoryKeyStore', 'maxKeys', options.maxKeys, 1_000_000)
  const records = new Map<string, KeyRecord<P>>()
  const counters = counterStore(options)
  return {
    get: (hash) => records.get(hash),
    lookup: (query) => {
      const { peek, now } = query
      const counts = peek === undefined ? undefined : counters.peek(peek.keys, peek.window, now)
      if (counts !== undefined && counts.some((count) => estimate(count, peek!.window, now) >= peek!.failures)) return { record: undefined, peek: counts }
      const record = records.get(query.hash)
      const count = record !== undefined && query.count !== undefined ? counters.hit([query.count.key], query.count.window, now)[0] : undefined
      return { record, count, peek: counts }
    },
    set: (hash, record) => {
      if (!records.has(hash) && records.size >= maxKeys) throw configError(`memoryKeyStore: full (maxKeys ${maxKeys})`)
      records.set(hash, record)
    },
    delete: (hash) => {
      records.delete(hash)
    },
    hit: counters.hit,
    peek: counters.peek,
    get size() {
      return counters.size
    },
    get keys() {
      return records.size
    },
  }
}
