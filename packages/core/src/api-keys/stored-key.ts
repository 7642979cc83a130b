import { configError } from '../errors.js'
import { func, positiveNumber, seconds } from '../internal/option-schema.js'
import { INVALID, isThenable } from '../internal/verify-callback.js'
import type { AuthContext, Awaitable, VerifyOutcome } from '../types.js'
import { BY_DIGEST, hasDigestLookup, type DigestLookup } from './digest-index.js'
import { keyDigest, publicId, type HashApiKeyOptions, type KeyDigest } from './hash.js'
import { checkKey, checkPrefix } from './key-format.js'
import type { CounterStore, KeyRecord, KeyStore, LookupAnswer } from './key-store.js'
import { memoryCounterStore } from './memory-store.js'
import { afterAnswer, afterStore, storeThrew, unavailable } from '../internal/store-call.js'
import { recordProblem, type MalformedRecordReport } from './record-check.js'
import { Lru } from '../internal/lru.js'
import { KeyMemo } from './key-memo.js'
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

type Scopes<P> = ((principal: P) => readonly string[] | undefined) | undefined

/** The resolved options of `apiKey({ store })`, read on every request. */
interface StoredKeyConfig<P extends object> {
  readonly store: KeyStore<P>
  readonly prefixes: readonly string[]
  readonly scopes: Scopes<P>
  /** Milliseconds a store call may take. */
  readonly timeout: number
  readonly digest: KeyDigest
  /** The memory store finds its hash string from the digest words, without building one. */
  readonly byDigest: DigestLookup | undefined
  readonly limit: UsageLimit | undefined
  readonly limitCounters: CounterStore | undefined
  readonly throttle: Throttle | undefined
  readonly failCounters: CounterStore | undefined
  /** One round trip when the store can do it all: its own counters count use and failures. */
  readonly combined: boolean
  readonly down: () => VerifyOutcome<never>
  readonly onMalformed: ((report: MalformedRecordReport) => void) | undefined
  /** Records already reported malformed (by hash), so each is reported once. */
  readonly reported: Lru<string, true>
  /** The hash strings of keys recently accepted (see key-memo.ts). */
  readonly memo: KeyMemo
}

function resolvePrefixes(prefix: StoredKeyOptions<object>['prefix']): readonly string[] {
  if (!Array.isArray(prefix) && typeof prefix !== 'string') throw configError('apiKey: prefix (a string or an array of them) is required with store')
  const prefixes: readonly string[] = [...new Set<string>(typeof prefix === 'string' ? [prefix] : prefix)]
  if (prefixes.length === 0) throw configError('apiKey: prefix (a string or an array of them) is required with store')
  for (const one of prefixes) checkPrefix('apiKey', one)
  return prefixes
}

/** Check the options of `apiKey({ store })` (throws `ERR_AUTHSPEC_CONFIG`). */
function resolveStoredKey<P extends object>(options: StoredKeyOptions<P>, scopes: Scopes<P>): StoredKeyConfig<P> {
  const { store } = options
  if (store === null || typeof store !== 'object' || typeof store.get !== 'function') throw configError('apiKey: store must have a get(hash) method')
  const prefixes = resolvePrefixes(options.prefix)
  const timeout = positiveNumber('apiKey: timeout', options.timeout ?? 2000, 'milliseconds')
  const wait = seconds('apiKey: retryAfter', options.retryAfter ?? 5, { min: 1 })
  const digest = keyDigest({ pepper: options.pepper })
  const storeCounters = countsOf(store)
  const limit: UsageLimit | undefined = options.limit === undefined ? undefined : usageLimit(options.limit)
  const limitCounters = limit === undefined ? undefined : (limit.counters ?? storeCounters)
  if (limit !== undefined && limitCounters === undefined) throw configError('apiKey: limit needs counters: this store does not count, give limit.counters')
  const throttle: Throttle | undefined = options.throttle === false ? undefined : createThrottle('apiKey', options.throttle ?? {}, THROTTLE_OPTIONS, { name: `key:${prefixes.join('+')}` })
  const failCounters = throttle === undefined ? undefined : (throttle.counters ?? storeCounters ?? memoryCounterStore())
  const combined = typeof store.lookup === 'function' && (limit === undefined || limitCounters === storeCounters) && (throttle === undefined || failCounters === storeCounters)
  const onMalformed = options.onMalformedRecord
  if (onMalformed !== undefined) func('apiKey: onMalformedRecord', onMalformed)
  const byDigest = hasDigestLookup(store) ? store : undefined
  const down = (): VerifyOutcome<never> => unavailable(wait)
  return { store, prefixes, scopes, timeout, digest, byDigest, limit, limitCounters, throttle, failCounters, combined, down, onMalformed, reported: new Lru<string, true>(1000), memo: new KeyMemo() }
}

/** Tell `onMalformedRecord` (once per record) what is wrong with it. */
function report(config: Pick<StoredKeyConfig<object>, 'onMalformed' | 'reported'>, hash: string, record: unknown, problem: MalformedRecordReport['problem']): void {
  const { onMalformed, reported } = config
  if (onMalformed === undefined || reported.get(hash) !== undefined) return
  reported.set(hash, true)
  const id = (record as { id?: unknown } | null)?.id
  try {
    onMalformed({ id: typeof id === 'string' ? id : undefined, problem })
  } catch {
    // A reporting hook cannot change the answer: the record is refused either way.
  }
}

/**
 * A refusal that counts as a failure of the client, when throttled: `keys` are its counters, or
 * `undefined` when they were not read (a remembered key skips the throttle), then found now.
 */
function fail<P extends object>(config: StoredKeyConfig<P>, peeked: readonly string[] | undefined, now: number, ctx: AuthContext): Awaitable<VerifyOutcome<P>> {
  const keys = peeked ?? config.throttle?.keys(ctx, undefined)
  if (keys === undefined || keys.length === 0) return REFUSED
  return afterStore(() => config.failCounters!.hit(keys, config.throttle!.window, now, ctx), config.timeout, () => REFUSED, config.down)
}

/**
 * Judge the store's answer: throttled, unknown, malformed, revoked, expired, over the limit, or
 * the principal. `remember`: the request's key when the memo does not know it yet (it learns
 * the key's hash once the key is accepted).
 */
function decide<P extends object>(config: StoredKeyConfig<P>, answer: LookupAnswer<P>, hash: string, keys: readonly string[] | undefined, now: number, ctx: AuthContext, remember: string | undefined): Awaitable<VerifyOutcome<P>> {
  const throttled = config.throttle?.check(answer.peek, now)
  if (throttled !== undefined) return throttled
  const record: KeyRecord<P> | undefined = answer.record
  if (record === undefined || record === null) return answer.missCounted === true ? REFUSED : fail(config, keys, now, ctx)
  const problem = recordProblem(record)
  if (problem !== undefined) {
    report(config, hash, record, problem)
    return fail(config, keys, now, ctx)
  }
  if (record.revoked === true || (record.expiresAt !== undefined && !(record.expiresAt > now))) return fail(config, keys, now, ctx)
  const limited = config.limit?.check(answer.count, now)
  if (limited !== undefined) return limited
  if (remember !== undefined) config.memo.set(remember, hash)
  const principal = record.principal
  const { scopes } = config
  return { ok: true, principal, scopes: scopes !== undefined ? (scopes(principal) ?? []) : (record.scopes ?? []) }
}

/** Separate store calls: the failure counters (when peeked), then the record, then the use. */
function separateCalls<P extends object>(config: StoredKeyConfig<P>, hash: string, remember: string | undefined, keys: readonly string[] | undefined, count: { key: string; window: number } | undefined, now: number, ctx: AuthContext): Awaitable<VerifyOutcome<P>> {
  const { store, timeout, down, throttle } = config
  const lookup = (peek: LookupAnswer<P>['peek']): Awaitable<VerifyOutcome<P>> =>
    afterStore(() => store.get(hash, ctx), timeout, (record) => {
      const answer = { record, peek }
      if (record === undefined || count === undefined || throttle?.check(peek, now) !== undefined) return decide(config, answer, hash, keys, now, ctx, remember)
      return afterStore(() => config.limitCounters!.hit([count.key], count.window, now, ctx), timeout, (counts) => decide(config, { ...answer, count: counts[0] }, hash, keys, now, ctx, remember), down)
    }, down)
  if (keys === undefined || keys.length === 0) return lookup(undefined)
  return afterStore(() => config.failCounters!.peek(keys, throttle!.window, now, ctx), timeout, (peek) => {
    const throttled = throttle!.check(peek, now)
    return throttled ?? lookup(peek)
  }, down)
}

/** The hash string of a key the memo does not know, after its format and checksum (`undefined`: refused without a store call). */
function hashOf<P extends object>(config: StoredKeyConfig<P>, key: string): string | undefined {
  if (!checkKey(key, config.prefixes)) return undefined
  const { digest } = config
  const words = digest.words(key)
  return config.byDigest?.[BY_DIGEST](digest.tag, words) ?? digest.text(words)
}

/** One request: the memo, or format, checksum and digest; then the store call(s), then the judgement. */
function verifyStoredKey<P extends object>(config: StoredKeyConfig<P>, key: string, ctx: AuthContext): Awaitable<VerifyOutcome<P>> {
  const known = config.memo.get(key)
  const hash = known ?? hashOf(config, key)
  if (hash === undefined) return INVALID
  const remember = known === undefined ? key : undefined
  const { throttle, limit } = config
  const now = Date.now()
  // Per client only: each guessed key has its own id, so a per-id count would never reach the
  // limit. A key this scheme accepted recently (the memo's exact match) is no guess: it skips the
  // failure counters, so a throttled address does not lock out a client that holds a good key.
  const keys = known === undefined ? throttle?.keys(ctx, undefined) : undefined
  const count = limit === undefined ? undefined : { key: limit.key(publicId(key, hash)), window: limit.window }
  if (!config.combined) return separateCalls(config, hash, remember, keys, count, now, ctx)
  const peek = keys === undefined || keys.length === 0 ? undefined : { keys, window: throttle!.window, failures: throttle!.failures }
  // The store is called here, not through afterStore: no closure per request when it answers at once.
  let answer: Awaitable<LookupAnswer<P>>
  try {
    answer = config.store.lookup!({ hash, now, count, peek, countMiss: peek !== undefined }, ctx)
  } catch (error) {
    return storeThrew(error, config.down)
  }
  if (!isThenable(answer)) return decide(config, answer, hash, keys, now, ctx, remember)
  return afterAnswer(answer, config.timeout, (settled) => decide(config, settled, hash, keys, now, ctx, remember), config.down)
}

/**
 * The verify function of `apiKey({ store })`: format and checksum first (no store call for a
 * made-up key), then one store round trip that looks the record up, counts the use and reads
 * the failure counters; expired or revoked records are refused; a store fault is a 503.
 */
export function storedKeyVerifier<P extends object>(options: StoredKeyOptions<P>, scopes: Scopes<P>): (key: string, ctx: AuthContext) => Awaitable<VerifyOutcome<P>> {
  const config = resolveStoredKey(options, scopes)
  return (key, ctx) => verifyStoredKey(config, key, ctx)
}
