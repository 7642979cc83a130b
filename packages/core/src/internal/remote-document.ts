import type { Awaitable } from './outcome-types.js'
import { optionNames, unknownOptions } from './check-options.js'
import { millisecondsProblem } from './option-schema.js'
import { withTimeout } from './with-timeout.js'

/**
 * A shared cache for remote documents (JWKS, discovery), keyed by URL. Fits Workers KV
 * (`get(url, 'json')`, `put(url, JSON.stringify(value), { expirationTtl })`) or the Cache API.
 * Errors it throws are ignored: the network is used instead.
 */
export interface RemoteStore {
  /** The stored document for `url`, or `undefined`/`null` when none. */
  get(url: string): Awaitable<unknown>
  /** Store `value` (parsed JSON) for `url`, for `ttl` milliseconds. */
  set(url: string, value: unknown, ttl: number): Awaitable<void>
}

/** How remote keys and discovery documents are fetched and cached (jose's names, milliseconds). */
export interface RemoteKeyOptions {
  /** Abort a fetch after this long. @default 5000 (ms) */
  timeoutDuration?: number
  /** An unknown `kid` triggers at most one refetch per this period. @default 30000 (ms) */
  cooldownDuration?: number
  /** A fetched document is used for this long before it is refreshed. @default 600000 (ms) */
  cacheMaxAge?: number
  /** After a failed fetch, answer 503 without refetching for this long (the `Retry-After`). @default 5000 (ms) */
  failureTtl?: number
  /** A cache shared across isolates or processes (Workers KV, Cache API). */
  store?: RemoteStore
  /** The `fetch` to use (e.g. a service binding). @default globalThis.fetch */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
}

/**
 * A remote document refused by policy (a redirect to another origin, an `http` `jwks_uri` in an
 * `https` discovery document). Its message is safe to show a client (no URLs, no secrets).
 */
export class RemoteRefused extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RemoteRefused'
  }
}

/** Remote material cannot be had right now (fetch failed, timed out or returned garbage). */
export class RemoteUnavailable extends Error {
  /** Seconds until a retry is worth it. */
  readonly retryAfter: number
  /** Why, when a policy refused the document ({@link RemoteRefused}): safe to show a client. */
  readonly reason: string | undefined
  constructor(message: string, retryAfter: number, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'RemoteUnavailable'
    this.retryAfter = retryAfter
    this.reason = cause instanceof RemoteRefused ? cause.message : undefined
  }
}

type Fetch = NonNullable<RemoteKeyOptions['fetch']>

/**
 * Fetch `url` without following redirects to another origin (`redirect: 'manual'`): a redirect
 * within the origin is followed once; any other redirect is refused ({@link RemoteRefused}).
 */
async function fetchSameOrigin(doFetch: Fetch, url: string, signal: AbortSignal): Promise<Response> {
  const origin = new URL(url).origin
  let target = url
  for (let hop = 0; ; hop++) {
    const response = await doFetch(target, { headers: { accept: 'application/json' }, signal, redirect: 'manual' })
    // Browsers hide a manual redirect behind an opaque response: it cannot be checked, so not followed.
    if (response.type === 'opaqueredirect') throw new RemoteRefused('redirect not followed')
    if (response.status < 300 || response.status > 399) return response
    await response.body?.cancel().catch(() => undefined)
    const location = response.headers.get('location')
    if (location === null || !URL.canParse(location, target)) throw new Error(`HTTP ${response.status} without a usable Location`)
    const next = new URL(location, target)
    if (next.origin !== origin) throw new RemoteRefused('redirect to another origin refused')
    if (hop >= 1) throw new RemoteRefused('more than one redirect refused')
    target = next.href
  }
}

/** JWKS and discovery documents are small; anything larger is refused, not buffered. */
export const MAX_DOCUMENT_BYTES = 1024 * 1024

/** The body as text, refusing (and cancelling) one larger than `max` bytes. */
export async function readLimited(response: Response, max: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'))
  if (declared > max) {
    await response.body?.cancel().catch(() => undefined)
    throw new Error(`document larger than ${max} bytes`)
  }
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => undefined)
      throw new Error(`document larger than ${max} bytes`)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return new TextDecoder().decode(bytes)
}

const REMOTE_OPTIONS = optionNames<RemoteKeyOptions>()('timeoutDuration', 'cooldownDuration', 'cacheMaxAge', 'failureTtl', 'store', 'fetch')

const DEFAULTS = { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 600_000, failureTtl: 5000 }

/** Resolved remote options. */
export type ResolvedRemoteOptions = Required<Omit<RemoteKeyOptions, 'store' | 'fetch'>> & Pick<RemoteKeyOptions, 'store' | 'fetch'>

/** Check remote options; returns a problem description or the resolved options. */
export function resolveRemoteOptions(options: RemoteKeyOptions | undefined): ResolvedRemoteOptions | string {
  if (options === undefined) return { ...DEFAULTS }
  if (options === null || typeof options !== 'object') return 'remoteKeys must be an object'
  const unknown = unknownOptions(options, REMOTE_OPTIONS)
  if (unknown !== undefined) return `remoteKeys: ${unknown}`
  const out: ResolvedRemoteOptions = { ...DEFAULTS, store: options.store, fetch: options.fetch }
  for (const name of ['timeoutDuration', 'cooldownDuration', 'cacheMaxAge', 'failureTtl'] as const) {
    const value = options[name]
    if (value === undefined) continue
    const problem = millisecondsProblem(`remoteKeys.${name}`, value)
    if (problem !== undefined) return problem
    out[name] = value
  }
  if (out.timeoutDuration <= 0) return 'remoteKeys.timeoutDuration must be > 0'
  const store = options.store
  if (store !== undefined && (typeof store?.get !== 'function' || typeof store.set !== 'function')) {
    return 'remoteKeys.store must have get(url) and set(url, value, ttl) functions'
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') return 'remoteKeys.fetch must be a function'
  return out
}

/**
 * One remote JSON document: fetched with a timeout (never following a redirect to another
 * origin; one same-origin redirect is followed), parsed once, kept `cacheMaxAge`, refreshed
 * in the background of a request when stale (the stale copy is served if the refresh fails).
 * Concurrent loads share one fetch; after a failure, loads fail fast for `failureTtl`.
 */
export class RemoteDocument<T> {
  readonly url: string
  /** Network fetches started (for tests and metrics). */
  fetches = 0
  readonly #options: ResolvedRemoteOptions
  readonly #parse: (json: unknown) => T
  #value: T | undefined
  #fetchedAt = 0
  #lastAttempt = -Infinity
  #failedUntil = 0
  #pending: Promise<T> | undefined

  constructor(url: string, parse: (json: unknown) => T, options: ResolvedRemoteOptions) {
    this.url = url
    this.#parse = parse
    this.#options = options
  }

  /** The document: synchronously when fresh, else after a (shared) load. Rejects with {@link RemoteUnavailable}. */
  get(): T | Promise<T> {
    const value = this.#value
    if (value !== undefined) {
      const now = Date.now()
      if (now - this.#fetchedAt < this.#options.cacheMaxAge || now < this.#failedUntil) return value
      return this.#load(false).catch(() => value)
    }
    const wait = this.#failedUntil - Date.now()
    if (wait > 0 && this.#pending === undefined) return Promise.reject(this.#unavailable('unavailable after a recent failure', wait))
    return this.#load(false)
  }

  /**
   * Refetch from the network now (an unknown `kid`), unless a fetch ran within `cooldownDuration`
   * or failed within `failureTtl`: then `undefined`. A refresh already under way is shared.
   */
  refresh(): Promise<T> | undefined {
    if (this.#pending !== undefined) return this.#pending
    const now = Date.now()
    if (now - this.#lastAttempt < this.#options.cooldownDuration || now < this.#failedUntil) return undefined
    return this.#load(true)
  }

  #unavailable(message: string, waitMs: number, cause?: unknown): RemoteUnavailable {
    return new RemoteUnavailable(`${this.url}: ${message}`, Math.max(1, Math.ceil(waitMs / 1000)), cause)
  }

  #load(network: boolean): Promise<T> {
    this.#pending ??= this.#run(network).finally(() => {
      this.#pending = undefined
    })
    return this.#pending
  }

  async #run(network: boolean): Promise<T> {
    const { store } = this.#options
    if (!network && store !== undefined) {
      try {
        const stored = await withTimeout(store.get(this.url), this.#options.timeoutDuration)
        if (stored !== undefined && stored !== null) {
          const parsed = this.#parse(stored)
          this.#value = parsed
          this.#fetchedAt = Date.now()
          return parsed
        }
      } catch {
        // A broken store is a miss: fall back to the network.
      }
    }
    this.#lastAttempt = Date.now()
    this.fetches++
    let json: unknown
    let parsed: T
    try {
      const response = await fetchSameOrigin(this.#options.fetch ?? fetch, this.url, AbortSignal.timeout(this.#options.timeoutDuration))
      if (!response.ok) {
        // Release the connection without reading the body.
        await response.body?.cancel().catch(() => undefined)
        throw new Error(`HTTP ${response.status}`)
      }
      json = JSON.parse(await readLimited(response, MAX_DOCUMENT_BYTES))
      parsed = this.#parse(json)
    } catch (cause) {
      this.#failedUntil = Date.now() + this.#options.failureTtl
      throw this.#unavailable('fetch failed', this.#options.failureTtl, cause)
    }
    this.#value = parsed
    this.#fetchedAt = Date.now()
    this.#failedUntil = 0
    if (store !== undefined) {
      try {
        await withTimeout(store.set(this.url, json, this.#options.cacheMaxAge), this.#options.timeoutDuration)
      } catch {
        // The store is an optimisation only.
      }
    }
    return parsed
  }
}
