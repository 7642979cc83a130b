import { findCookie, type Lookup } from './cookies.js'
import { findQueryParam } from './query.js'

/**
 * The part of a request authspec reads. A standard `Request` always fits; adapters may pass a
 * lighter object. The body is never read.
 */
export interface RequestLike {
  readonly method: string
  /** Absolute URL, or an origin-relative path with its query (`/pets?x=1`). */
  readonly url: string
  readonly headers: { get(name: string): string | null }
}

/**
 * A per-request view over a {@link RequestLike} that parses lazily and at most once: the query
 * string only when a scheme reads it, the `Cookie` header only when a scheme reads a cookie.
 */
export class RequestView {
  readonly request: RequestLike
  #query: string | undefined | null = null
  #cookie: string | null | undefined = undefined

  constructor(request: RequestLike) {
    this.request = request
  }

  /** A header value (`Headers.get` semantics: repeated fields joined by `, `). */
  header(name: string): string | null {
    return this.request.headers.get(name)
  }

  /** The raw query string without `?`, or `undefined` when the URL has none. */
  get query(): string | undefined {
    if (this.#query === null) {
      const url = this.request.url
      const q = url.indexOf('?')
      if (q === -1) {
        this.#query = undefined
      } else {
        const hash = url.indexOf('#', q)
        this.#query = hash === -1 ? url.slice(q + 1) : url.slice(q + 1, hash)
      }
    }
    return this.#query
  }

  /** Look up one query parameter (form-urlencoded rules); repeated with different values is ambiguous. */
  queryParam(name: string): Lookup {
    return findQueryParam(this.query, name)
  }

  /** Look up one cookie by its case-sensitive name; repeated with different values is ambiguous. */
  cookie(name: string): Lookup {
    if (this.#cookie === undefined) this.#cookie = this.header('cookie')
    return findCookie(this.#cookie, name)
  }
}
