import { allOf } from '../all-of.js'
import { configError } from '../errors.js'
import { percentDecodeOrKeep } from '../internal/percent-decode.js'
import { pathSegments } from './paths.js'
import type { Requirement } from '../types.js'

/**
 * The operations of an OpenAPI document, looked up by **route pattern** rather than by request
 * URL: adapters ask which operation a framework route implements (`GET /books/{id}` for Hono's
 * or Express's `/books/:id`), so that what the router dispatches decides the requirement, never
 * a second reading of the URL.
 */

/** One operation of the document: method (upper case), template as written, effective requirement. */
export interface DocumentOperation {
  readonly method: string
  readonly template: string
  readonly requirement: Requirement
}

/** What a route pattern implements. */
export type RouteBinding =
  /** The operation (same-shape templates ANDed under `ambiguousPaths: 'all'`). */
  | { readonly kind: 'operation'; readonly operation: DocumentOperation }
  /** The document has the path but not this method: `allow` lists its methods (upper case, `HEAD` with `GET`). */
  | { readonly kind: 'method'; readonly template: string; readonly allow: readonly string[] }
  /** The document has no such path. */
  | { readonly kind: 'none' }

const NONE: RouteBinding = Object.freeze({ kind: 'none' })
const WHOLE = /^\{[^{}/]*\}$/
const PARAM = /\{[^{}/]*\}/g

/** `/books/{id}.json` → `books/{}.json`: parameter names do not matter, literal text is decoded. */
function shapeOf(segments: readonly string[]): string[] {
  return segments.map((segment) => {
    if (segment.indexOf('{') === -1) return percentDecodeOrKeep(segment)
    if (WHOLE.test(segment)) return '{}'
    return segment
      .split(PARAM)
      .map(percentDecodeOrKeep)
      .join('{}')
  })
}

interface PathEntry {
  readonly template: string
  readonly methods: Map<string, DocumentOperation>
}

/** Operations by route shape, with the document's server base paths. */
export class OperationIndex {
  readonly #paths = new Map<string, PathEntry>()
  readonly #bases: string[][] = []
  readonly #operations: DocumentOperation[] = []
  readonly #merge: boolean

  /** @param merge AND the requirements of same-shape templates (`ambiguousPaths: 'all'`); else the first is kept. */
  constructor(merge: boolean) {
    this.#merge = merge
  }

  /** Every operation of the document, in document order. */
  get operations(): readonly DocumentOperation[] {
    return this.#operations
  }

  /** The path of a server URL, as a base a route pattern may start with. */
  addServer(url: string): void {
    const segments = shapeOf(pathSegments(url))
    if (segments.length === 0 || this.#bases.some((b) => b.join('/') === segments.join('/'))) return
    this.#bases.push(segments)
    this.#bases.sort((a, b) => b.length - a.length)
  }

  add(method: string, template: string, requirement: Requirement): void {
    const operation: DocumentOperation = Object.freeze({ method: method.toUpperCase(), template, requirement })
    this.#operations.push(operation)
    const key = shapeOf(pathSegments(template)).join('/')
    let entry = this.#paths.get(key)
    if (entry === undefined) this.#paths.set(key, (entry = { template, methods: new Map() }))
    const existing = entry.methods.get(operation.method)
    if (existing === undefined) entry.methods.set(operation.method, operation)
    else if (this.#merge) {
      const merged = allOf(existing.requirement, requirement)
      entry.methods.set(operation.method, Object.freeze({ ...existing, requirement: JSON.stringify(merged) === JSON.stringify(existing.requirement) ? existing.requirement : merged }))
    }
  }

  /**
   * The operation a route implements. `pattern` is the route's path as an OpenAPI template
   * (`/books/{id}`; parameter names are ignored, a trailing slash too), the full path the router
   * matches (mounts included); when it has no operation as given, each server base path it starts
   * with is stripped (longest first). `method` is the request's (`HEAD` falls back to `GET`).
   */
  bind(method: string, pattern: string): RouteBinding {
    const segments = shapeOf(pathSegments(pattern, false))
    const m = method.toUpperCase()
    const direct = this.#at(segments, m)
    if (direct !== undefined) return direct
    for (const base of this.#bases) {
      if (base.length > segments.length) continue
      if (!base.every((b, i) => b === '{}' || b.indexOf('{}') !== -1 || b === segments[i])) continue
      const found = this.#at(segments.slice(base.length), m)
      if (found !== undefined) return found
    }
    return NONE
  }

  #at(segments: readonly string[], method: string): RouteBinding | undefined {
    const entry = this.#paths.get(segments.join('/'))
    if (entry === undefined) return undefined
    const operation = entry.methods.get(method) ?? (method === 'HEAD' ? entry.methods.get('GET') : undefined)
    if (operation !== undefined) return { kind: 'operation', operation }
    const allow = [...entry.methods.keys()]
    if (entry.methods.has('GET') && !entry.methods.has('HEAD')) allow.push('HEAD')
    return { kind: 'method', template: entry.template, allow }
  }
}

const indexes = new WeakMap<object, OperationIndex>()

/** Attach the operation index of a document to the auth built from it (`fromOpenAPI`). */
export function setOperationIndex(auth: object, index: OperationIndex): void {
  indexes.set(auth, index)
}

/** The operation index of an auth built by `fromOpenAPI`, or `undefined` for any other auth. */
export function operationIndexOf(auth: unknown): OperationIndex | undefined {
  return typeof auth === 'object' && auth !== null ? indexes.get(auth) : undefined
}

/**
 * Refuse a guard that would apply the document's default `security` to every route when the
 * document's operations do not all share it (`requireAuth(specAuth)` without a requirement).
 */
export function refuseDocumentDefault(auth: unknown, where: string): void {
  const index = operationIndexOf(auth)
  if (index === undefined) return
  const fallback = JSON.stringify((auth as { security?: Requirement }).security ?? [])
  const differing = index.operations.filter((operation) => JSON.stringify(operation.requirement) !== fallback)
  if (differing.length === 0) return
  const listed = differing.slice(0, 5).map((operation) => `${operation.method} ${operation.template}`)
  throw configError(
    `${where}: this auth comes from an OpenAPI document whose operations do not all share its default security ` +
      `(${listed.join(', ')}${differing.length > 5 ? `, +${differing.length - 5} more` : ''}); ` +
      'a guard without a requirement would apply the default to all of them. Use enforceOpenAPI(auth) before the routes, ' +
      'or give requireAuth the requirement of the route.',
  )
}
