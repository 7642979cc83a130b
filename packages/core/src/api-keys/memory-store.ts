import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { Lru } from '../internal/lru.js'
import { BY_DIGEST, DigestIndex, type DigestLookup } from './digest-index.js'
import { reached as limitReached } from './sliding-window.js'
import { frozenCopy } from './record-check.js'
import { type CounterStore, type KeyRecord, type LookupAnswer, type LookupQuery, type WindowCount, type WritableKeyStore } from './key-store.js'
import { positiveInteger } from '../internal/option-schema.js'

/** Options of {@link memoryCounterStore}. */
export interface MemoryCounterOptions {
  /** Most counted keys held (each with its current and previous window's count); the least recently used are evicted. @default 100000 */
  maxCounters?: number
}

/** Options of {@link memoryKeyStore}. */
export interface MemoryKeyStoreOptions extends MemoryCounterOptions {
  /** Most records held; `set` beyond it throws. @default 1000000 */
  maxKeys?: number
}

const COUNTER_OPTIONS = optionNames<MemoryCounterOptions>()('maxCounters')
const KEY_STORE_OPTIONS = optionNames<MemoryKeyStoreOptions>()(...COUNTER_OPTIONS, 'maxKeys')

/** In-process counters (one instance only: use the Redis store to share them), bounded and evicting. */
export interface MemoryCounterStore extends CounterStore {
  hit(keys: readonly string[], window: number, now: number): readonly WindowCount[]
  peek(keys: readonly string[], window: number, now: number): readonly WindowCount[]
  release(keys: readonly string[], window: number, now: number): void
  /** Counters held now. */
  readonly size: number
}

const ZERO: WindowCount = Object.freeze({ current: 0, previous: 0 })
/** The answer of `peek` for one key never counted in the current or previous window (shared: frozen). */
const NO_COUNTS: readonly WindowCount[] = Object.freeze([ZERO])

/** One counted key: its counts in window `index` and in the window before it. */
interface Counter {
  index: number
  current: number
  previous: number
}

/** The counts of `counter` as seen from window `index` (older windows have slid out). */
function countsAt(counter: Counter | undefined, index: number): WindowCount {
  if (counter === undefined || counter.index < index - 1) return ZERO
  if (counter.index === index - 1) return { current: 0, previous: counter.current }
  return { current: counter.current, previous: counter.previous }
}

/** Whether any of `counts` has reached `limit` (a loop: no closure, no iterator per request). */
function reached(counts: readonly WindowCount[], window: number, limit: number, now: number): boolean {
  for (let i = 0; i < counts.length; i++) if (limitReached(counts[i]!, limit, window, now)) return true
  return false
}

/** Count one use in window `index`: the counter moves on to it first when it is newer. */
function count(counter: Counter, index: number): void {
  if (counter.index < index) {
    counter.previous = counter.index === index - 1 ? counter.current : 0
    counter.current = 0
    counter.index = index
  }
  // A clock that went back counts into the newest window held.
  counter.current++
}

/**
 * Counters in this process, for usage limits and failed-auth throttling on one instance. At
 * most `maxCounters` failure counters and as many usage counters are held, one entry each (its
 * current and previous window), in two separate budgets: under a flood of distinct failing
 * clients the least recently used *failure* counters are evicted (an evicted one starts again at
 * zero: memory stays bounded at the cost of forgetting the oldest offenders first), never a
 * key's usage count.
 */
export function memoryCounterStore(options: MemoryCounterOptions = {}): MemoryCounterStore {
  if (options === null || typeof options !== 'object') throw configError('memoryCounterStore: options must be an object')
  checkOptions('memoryCounterStore', options, COUNTER_OPTIONS)
  return counterStore(options)
}

/** Failure counters (anyone can create them) are kept apart from usage counters (only keys that exist create them). */
const FAILURE_PREFIX = 'authspec:fail:'

function counterStore(options: MemoryCounterOptions, usageCapacity = 0): MemoryCounterStore {
  const max = positiveInteger('memoryCounterStore: maxCounters', options.maxCounters ?? 100_000)
  // Two budgets: a flood of failed attempts from many addresses evicts only other failure
  // counters, never the usage count of a limited key (which would serve that key again).
  const failures = new Lru<string, Counter>(max)
  const usage = new Lru<string, Counter>(Math.max(max, usageCapacity))
  const table = (key: string): Lru<string, Counter> => (key.startsWith(FAILURE_PREFIX) ? failures : usage)
  return {
    hit: (keys, window, now) => {
      const index = Math.floor(now / window)
      return keys.map((key) => {
        const counters = table(key)
        let counter = counters.get(key)
        if (counter === undefined) counters.set(key, (counter = { index, current: 0, previous: 0 }))
        count(counter, index)
        return { current: counter.current, previous: counter.previous }
      })
    },
    peek: (keys, window, now) => {
      const index = Math.floor(now / window)
      if (keys.length === 1) {
        const counts = countsAt(table(keys[0]!).get(keys[0]!), index)
        return counts === ZERO ? NO_COUNTS : [counts]
      }
      return keys.map((key) => countsAt(table(key).get(key), index))
    },
    release: (keys, window, now) => {
      const index = Math.floor(now / window)
      for (const key of keys) {
        const counter = table(key).get(key)
        if (counter !== undefined && counter.index === index && counter.current > 0) counter.current--
      }
    },
    get size() {
      return failures.size + usage.size
    },
  }
}

/** The in-memory key store: records, usage counters and failure counters of this process. */
export interface MemoryKeyStore<P extends object = object> extends WritableKeyStore<P>, MemoryCounterStore, DigestLookup {
  get(hash: string): KeyRecord<P> | undefined
  lookup(query: LookupQuery): LookupAnswer<P>
  update(hash: string, change: (current: KeyRecord<P> | undefined) => KeyRecord<P> | undefined): KeyRecord<P> | undefined
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
  const maxKeys = positiveInteger('memoryKeyStore: maxKeys', options.maxKeys ?? 1_000_000)
  const records = new Map<string, KeyRecord<P>>()
  const index = new DigestIndex()
  // Usage counters exist only for stored keys: room for one per record, so none is ever evicted.
  const counters = counterStore(options, maxKeys)
  const set = (hash: string, record: KeyRecord<P>): void => {
    const fresh = !records.has(hash)
    if (fresh && records.size >= maxKeys) throw configError(`memoryKeyStore: full (maxKeys ${maxKeys})`)
    if (fresh) index.add(hash)
    // A frozen deep copy: the caller's object can change later, and no request can change
    // what the next one is handed.
    records.set(hash, frozenCopy(record))
  }
  return {
    get: (hash) => records.get(hash),
    [BY_DIGEST]: (tag, words) => index.find(tag, words),
    lookup: (query) => {
      const { peek, now } = query
      const counts = peek === undefined ? undefined : counters.peek(peek.keys, peek.window, now)
      if (counts !== undefined && reached(counts, peek!.window, peek!.failures, now)) return { record: undefined, peek: counts }
      const record = records.get(query.hash)
      if (record === undefined && peek !== undefined && query.countMiss === true) {
        counters.hit(peek.keys, peek.window, now)
        return { record, peek: counts, missCounted: true }
      }
      const count = record !== undefined && query.count !== undefined ? counters.hit([query.count.key], query.count.window, now)[0] : undefined
      return { record, count, peek: counts }
    },
    set,
    // Synchronous, so nothing can land between the read and the write.
    update: (hash, change) => {
      const next = change(records.get(hash))
      if (next === undefined) return undefined
      set(hash, next)
      return records.get(hash)
    },
    delete: (hash) => {
      if (records.delete(hash)) index.remove(hash)
    },
    hit: counters.hit,
    peek: counters.peek,
    release: counters.release,
    get size() {
      return counters.size
    },
    get keys() {
      return records.size
    },
  }
}
