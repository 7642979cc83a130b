import type { RequestLike } from '../internal/request-view.js'

/** The part of a Node `IncomingMessage` the view reads (Express's `originalUrl` when present). */
export interface NodeRequestLike {
  readonly method?: string | undefined
  readonly url?: string | undefined
  readonly originalUrl?: string | undefined
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly rawHeaders: readonly string[]
}

/**
 * Header fields whose duplicates Node's `req.headers` silently drops (it keeps the first). For
 * these the raw headers are read, so two `Authorization` fields reach the core joined by `, `
 * (as a fetch `Headers` would give them) and are reported as malformed instead of half-used.
 */
const SINGLE_VALUE = new Set([
  'authorization',
  'proxy-authorization',
  'age',
  'content-length',
  'content-type',
  'etag',
  'expires',
  'from',
  'host',
  'if-modified-since',
  'if-unmodified-since',
  'last-modified',
  'location',
  'max-forwards',
  'referer',
  'retry-after',
  'server',
  'user-agent',
])

function allValues<T extends string | null>(req: NodeRequestLike, key: string, first: T): string | T {
  const raw = req.rawHeaders
  let joined: string | undefined
  let seen = 0
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!
    if (name.length !== key.length || name.toLowerCase() !== key) continue
    seen++
    joined = seen === 1 ? raw[i + 1]! : `${joined!}, ${raw[i + 1]!}`
  }
  return seen > 1 || (seen === 1 && first === null) ? joined! : first
}

/**
 * The light request shape the core reads (`method`, `url`, `headers.get`), over a Node
 * `IncomingMessage` (node:http, Express, Fastify's `raw`, Koa's `req`): no `Request` object is
 * built, nothing is copied, the body is never touched.
 */
export class NodeRequestView implements RequestLike {
  readonly method: string
  /** Origin-relative path with its query (Express's `originalUrl` when there is one). */
  readonly url: string
  readonly headers: { get(name: string): string | null }
  readonly #req: NodeRequestLike

  constructor(req: NodeRequestLike) {
    this.#req = req
    this.method = req.method ?? 'GET'
    this.url = req.originalUrl ?? req.url ?? '/'
    this.headers = this
  }

  /**
   * `Headers.get` semantics: case-insensitive name, repeated fields joined by `, `, `null` when
   * absent. Own properties only: a header (or apiKey) named `constructor` or `__proto__` is a name,
   * never `Object.prototype`'s member.
   */
  get(name: string): string | null {
    const key = name.toLowerCase()
    const headers = this.#req.headers
    if (!Object.hasOwn(headers, key)) {
      // Node stores `__proto__: x` by assignment, which drops it: read such names from the raw headers.
      if (!(key in Object.prototype)) return null
      return allValues(this.#req, key, null)
    }
    const value = headers[key]
    if (value === undefined) return null
    if (typeof value !== 'string') return value.join(', ')
    return SINGLE_VALUE.has(key) ? allValues(this.#req, key, value) : value
  }
}
