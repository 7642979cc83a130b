import { configError } from '../errors.js'
import { INVALID } from '../internal/verify-callback.js'
import type { AuthContext, Awaitable, VerifyOutcome } from '../types.js'
import { BY_DIGEST, hasDigestLookup } from './digest-index.js'
import { keyDigest, publicId, type HashApiKeyOptions } from './hash.js'
import { checkKey, checkPrefix } from './key-format.js'
import type { CounterStore, KeyRecord, KeyStore, LookupAnswer } from './key-store.js'
import { memoryCounterStore } from './memory-store.js'
import { afterStore, unavailable } from './store-call.js'
import { recordProblem, type MalformedRecordReport } from './record-check.js'
import { Lru } from '../internal/lru.js'
import { createThrottle, THROTTLE_OPTIONS, type Throttle, type ThrottleOptions } from './throttle.js'
import { usageLimit, type UsageLimit, type UsageLimitOptions } from './usage-limit.js'

/** apiKey options for keys looked up in a {@link KeyStore}. */
export interface StoredKeyOptions<P extends object> extends HashApiKeyOptions {
  /** Where records are looked up, by `hashApiKey(key)`. */
  store: KeyStore<P>
  /** The prefix (or prefixes) of keys this server issues; other keys are refused without a lookup. */
  prefix: string | readonly string[]
  /** An optional usage limit per key (429 when over). */
  limit?: UsageLimitOptions
  /** Throttling of failed attempts (429), on by default; `false` turns it off. @default { failures: 10, window: 300 } */
  throttle?: ThrottleOptions | false
  /** Milliseconds a store call may take before the request is answered 503. @default 2000 */
  timeout?: number
  /** Seconds a 503 asks clients to wait (`Retry-After`). @default 5 */
  retryAfter?: number
  /**
   * Called once per malformed record (a record another program wrote with `revoked: 1`,
   * `scopes: "admin"`, a non-object `principal`, …). Such a record is always refused (401);
   * this hook only lets you find and fix it. Told the record's id and the field, never the key.
   * @default none
   */
  onMalformedRecord?: (report: MalformedRecordReport) => void
}

const REFUSED: VerifyOutcome<never> = Object.freeze({ ok: false, reason: 'invalid', detail: 'the API key is not valid' })

function countsOf(store: unknown): CounterStore | undefined {
  const s = store as Partial<CounterStore>
  return typeof s.hit === 'function' && typeof s.peek === 'function' ? (s as CounterStore) : undefined
}

/**
 * The verify function of `apiKey({ store })`: format and checksum first (no store call for a
 * made-up key), then one store round trip that looks the record up, counts the use and reads
 * the failure counters; expired or revoked records are refused; a store fault is a 503.
 */
export function storedKeyVerifier<P extends object>(
  options: StoredKeyOptions<P>,
  scopes: ((principal: P) => readonly string[] | undefined) | undefined,
): (key: string, ctx: AuthContext) => Awaitable<VerifyOutcome<P>> {
  const { store } = options
  if (store === null || typeof store !== 'object' || typeof store.get !== 'function') throw configError('apiKey: store must have a get(hash) method')
  if (!Array.isArray(options.prefix) && typeof options.prefix !== 'string') throw configError('apiKey: prefix (a string or an array of them) is required with store')
  const prefixes: readonly string[] = [...new Set<string>(typeof options.prefix === 'string' ? [options.prefix] : options.prefix)]
  if (prefixes.length === 0) throw configError('apiKey: prefix (a string or an array of them) is required with store')
  for (const prefix of prefixes) checkPrefix('apiKey', prefix)
  const timeout = options.timeout ?? 2000
  if (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout)) throw configError('apiKey: timeout must be a positive number of milliseconds')
  const wait = options.retryAfter ?? 5
  if (typeof wait !== 'number' || !(wait >= 1) || !Number.isFinite(wait)) throw configError('apiKey: retryAfter must be at least 1 (seconds)')
  const digest = keyDigest({ pepper: options.pepper })
  // The memory store finds its hash string from the digest words, without building one.
  const byDigest = hasDigestLookup(store) ? store : undefined
  const storeCounters = countsOf(store)
  const limit: UsageLimit | undefined = options.limit === undefined ? undefined : usageLimit(options.limit)
  const limitCounters = limit === undefined ? undefined : (limit.counters ?? storeCounters)
  if (limit !== undefined && limitCounters === undefined) throw configError('apiKey: limit needs counters: this store does not count, give limit.counters')
  const throttle: Throttle | undefined = options.throttle === false ? undefined : createThrottle('apiKey', options.throttle ?? {}, THROTTLE_OPTIONS, { name: `key:${prefixes.join('+')}` })
  const failCounters = throttle === undefined ? undefined : (throttle.counters ?? storeCounters ?? memoryCounterStore())
  // One round trip when the store can do it all: its own counters count use and failures.
  const combined = typeof store.lookup === 'function' && (limit === undefined || limitCounters === storeCounters) && (throttle === undefined || failCounters === storeCounters)
  const down = (): VerifyOutcome<never> => unavailable(wait)
  const onMalformed = options.onMalformedRecord
  if (onMalformed !== undefined && typeof onMalformed !== 'function') throw configError('apiKey: onMalformedRecord must be a function')
  const reported = new Lru<string, true>(1000)
  const report = (hash: string, record: unknown, problem: MalformedRecordReport['problem']): void => {
    if (onMalformed === undefined || reported.get(hash) !== undefined) return
    reported.set(hash, true)
    const id = (record as { id?: unknown } | null)?.id
    try {
      onMalformed({ id: typeof id === 'string' ? id : undefined, problem })
    } catch {
      // A reporting hook cannot change the answer: the record is refused either way.
    }
  }

  const fail = (keys: readonly string[] | undefined, now: number, ctx: AuthContext): Awaitable<VerifyOutcome<P>> => {
    if (keys === undefined || keys.length === 0) return REFUSED
    return afterStore(() => failCounters!.hit(keys, throttle!.window, now, ctx), timeout, () => REFUSED, down)
  }

  const decide = (answer: LookupAnswer<P>, hash: string, keys: readonly string[] | undefined, now: number, ctx: AuthContext): Awaitable<VerifyOutcome<P>> => {
    const throttled = throttle?.check(answer.peek, now)
    if (throttled !== undefined) return throttled
    const record: KeyRecord<P> | undefined = answer.record
    if (record === undefined || record === null) return answer.missCounted === true ? REFUSED : fail(keys, now, ctx)
    const problem = recordProblem(record)
    if (problem !== undefined) {
      report(hash, record, problem)
      return fail(keys, now, ctx)
    }
    if (record.revoked === true || (record.expiresAt !== undefined && !(record.expiresAt > now))) return fail(keys, now, ctx)
    const limited = limit?.check(answer.count, now)
    if (limited !== undefined) return limited
    const principal = record.principal
    return { ok: true, principal, scopes: scopes !== undefined ? (scopes(principal) ?? []) : (record.scopes ?? []) }
  }

  return (key, ctx) => {
    if (!checkKey(key, prefixes)) return INVALID
    const words = digest.words(key)
    const hash = byDigest?.[BY_DIGEST](digest.tag, words) ?? digest.text(words)
    const now = Date.now()
    // Per client only: each guessed key has its own id, so a per-id count would never reach the limit.
    const keys = throttle?.keys(ctx, undefined)
    const count = limit === undefined ? undefined : { key: limit.key(publicId(key, hash)), window: limit.window }
    if (combined) {
      const peek = keys === undefined || keys.length === 0 ? undefined : { keys, window: throttle!.window, failures: throttle!.failures }
      return afterStore(() => store.lookup!({ hash, now, count, peek, countMiss: peek !== undefined }, ctx), timeout, (answer) => decide(answer, hash, keys, now, ctx), down)
    }
    // Separate calls: failure counters, then the record, then the use.
    const lookup = (peek: LookupAnswer<P>['peek']): Awaitable<VerifyOutcome<P>> =>
      afterStore(() => store.get(hash, ctx), timeout, (record) => {
        const answer = { record, peek }
        if (record === undefined || count === undefined || throttle?.check(peek, now) !== undefined) return decide(answer, hash, keys, now, ctx)
        return afterStore(() => limitCounters!.hit([count.key], count.window, now, ctx), timeout, (counts) => decide({ ...answer, count: counts[0] }, hash, keys, now, ctx), down)
      }, down)
    if (keys === undefined || keys.length === 0) return lookup(undefined)
    return afterStore(() => failCounters!.peek(keys, throttle!.window, now, ctx), timeout, (peek) => {
      const throttled = throttle!.check(peek, now)
      return throttled ?? lookup(peek)
    }, down)
  }
}
