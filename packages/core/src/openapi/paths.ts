import { percentDecodeOrKeep } from '../internal/percent-decode.js'

/**
 * OpenAPI path-template matching (`/pets/{id}`, `/files/{name}.json`) with server base paths.
 * Matching follows the specification's rule that concrete paths win over templated ones:
 * segment by segment, a literal segment beats a partly templated one (`{name}.json`), which beats
 * a whole-segment parameter; a path parameter never spans a `/`.
 */

interface PartialSegment<T> {
  readonly shape: string
  /** The decoded literal text around the parameters: `{a}.{b}.json` → `['', '.', '.json']`. */
  readonly literals: readonly string[]
  readonly literalLength: number
  readonly node: Node<T>
}

interface Node<T> {
  readonly literals: Map<string, Node<T>>
  readonly partials: PartialSegment<T>[]
  param: Node<T> | undefined
  /** Operations at this path, by lower-case method, with the template they came from. */
  readonly methods: Map<string, { value: T; template: string }>
}

function node<T>(): Node<T> {
  return { literals: new Map(), partials: [], param: undefined, methods: new Map() }
}


const PARAM = /\{[^{}/]*\}/g
const WHOLE_PARAM = /^\{[^{}/]*\}$/

/**
 * True when `segment` is `literals[0] P literals[1] P … literals[n]` with every parameter `P`
 * non-empty. Leftmost matching of each middle literal is enough to decide, so this runs in
 * linear time per literal: a regular expression with several lazy groups backtracks
 * polynomially on hostile segments (`{a}-{b}-{c}.json` against `------…`).
 */
function matchesPartial(literals: readonly string[], segment: string): boolean {
  const first = literals[0]!
  const last = literals[literals.length - 1]!
  if (!segment.startsWith(first) || !segment.endsWith(last)) return false
  const end = segment.length - last.length
  let at = first.length
  for (let i = 1; i < literals.length - 1; i++) {
    const found = segment.indexOf(literals[i]!, at + 1)
    if (found === -1 || found > end) return false
    at = found + literals[i]!.length
  }
  return end >= at + 1
}

/**
 * The path part of a template or request path, split into segments: a query (`?…`) and a
 * fragment (`#…`, used by APIs.guru to tell operations apart) are dropped, and so is a trailing
 * slash. An absolute URL is reduced to its path; so is a network-path reference (`//host/v1`)
 * when `authority` is true (server URLs), while in a request path `//admin/x` is a path.
 */
export function pathSegments(path: string, authority = true): string[] {
  let p = path
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(p)
  if (scheme !== null) p = p.slice(scheme[0].length)
  else if (authority && p.startsWith('//')) p = p.slice(2 + Math.max(0, p.slice(2).search(/[/?#]|$/)))
  const cut = p.search(/[?#]/)
  if (cut !== -1) p = p.slice(0, cut)
  if (p.startsWith('/')) p = p.slice(1)
  if (p.endsWith('/')) p = p.slice(0, -1)
  return p.length === 0 ? [] : p.split('/')
}

/** A route table: insert operations by template, look a request path up. */
export class PathMatcher<T> {
  readonly #root: Node<T> = node()
  /** Templates as written → their node, so a template looked up literally gets the (merged) value of its shape. */
  readonly #exact = new Map<string, Node<T>>()
  /** Base paths of the servers, as template segments, longest first. */
  readonly #bases: string[][] = []

  /** Add the path part of a server URL (`https://api.example.com/v1`, `/v1`, `{scheme}://host/{base}`). */
  addServer(url: string): void {
    const segments = pathSegments(url)
    if (segments.length === 0 || this.#bases.some((b) => b.join('/') === segments.join('/'))) return
    this.#bases.push(segments)
    this.#bases.sort((a, b) => b.length - a.length)
  }

  /**
   * Add an operation. Returns the template of an operation already registered for the same
   * method and an equivalent path (same shape once parameter names are ignored), if any; then
   * concrete paths reach `merge(existing, value)` when `merge` is given, else the first value.
   * The template itself, looked up as written, reaches the same value as any concrete path.
   */
  add(method: string, template: string, value: T, merge?: (existing: T, value: T) => T): string | undefined {
    const m = method.toLowerCase()
    let current = this.#root
    for (const raw of pathSegments(template)) {
      if (raw.indexOf('{') === -1) {
        const key = percentDecodeOrKeep(raw)
        let next = current.literals.get(key)
        if (next === undefined) current.literals.set(key, (next = node()))
        current = next
      } else if (WHOLE_PARAM.test(raw)) {
        current = current.param ??= node()
      } else {
        const shape = raw.replace(PARAM, '{}')
        let partial = current.partials.find((p) => p.shape === shape)
        if (partial === undefined) {
          const literals = shape.split('{}').map(percentDecodeOrKeep)
          partial = { shape, literals, literalLength: literals.join('').length, node: node() }
          current.partials.push(partial)
          current.partials.sort((a, b) => b.literalLength - a.literalLength)
        }
        current = partial.node
      }
    }
    if (!this.#exact.has(template)) this.#exact.set(template, current)
    const existing = current.methods.get(m)
    if (existing !== undefined) {
      if (merge !== undefined) current.methods.set(m, { value: merge(existing.value, value), template: existing.template })
      return existing.template
    }
    current.methods.set(m, { value, template })
    return undefined
  }

  /**
   * The value of the operation a request reaches: `path` is a template exactly as written in
   * the document, or a concrete path (optionally with its query, or an absolute URL), matched
   * first as given, then relative to each server base path it starts with (longest first): a
   * match as given is never overridden by stripping a base path. When the best path match
   * lacks the method, less specific matches are tried (as a router would). `HEAD` falls back to
   * `GET`. `undefined` when no operation matches, for paths with `.` or `..` segments (also
   * percent-encoded), which servers resolve differently, and for paths containing `\`, which
   * some routers read as `/` and others as data.
   */
  lookup(method: string, path: string): T | undefined {
    const m = method.toLowerCase()
    if (path.indexOf('\\') !== -1) return undefined
    const exact = this.#exact.get(path)
    if (exact !== undefined) {
      const found = exact.methods.get(m) ?? (m === 'head' ? exact.methods.get('get') : undefined)
      if (found !== undefined) return found.value
    }
    // A request path `//admin/x` names no host: read as `/x`, it would get another operation's security.
    const segments = pathSegments(path, false).map(percentDecodeOrKeep)
    // Dot segments are resolved differently by different servers: never guess (fail closed).
    if (segments.some((segment) => segment === '.' || segment === '..')) return undefined
    const given = this.#match(this.#root, segments, 0, m)
    if (given !== undefined) return given
    for (const base of this.#bases) {
      if (base.length > segments.length) continue
      let ok = true
      for (let i = 0; i < base.length && ok; i++) {
        const b = base[i]!
        ok = b.indexOf('{') !== -1 ? segments[i]!.length > 0 : percentDecodeOrKeep(b) === segments[i]
      }
      if (!ok) continue
      const found = this.#match(this.#root, segments, base.length, m)
      if (found !== undefined) return found
    }
    return undefined
  }

  #match(current: Node<T>, segments: readonly string[], i: number, method: string): T | undefined {
    if (i === segments.length) {
      const found = current.methods.get(method) ?? (method === 'head' ? current.methods.get('get') : undefined)
      return found?.value
    }
    const segment = segments[i]!
    const literal = current.literals.get(segment)
    if (literal !== undefined) {
      const found = this.#match(literal, segments, i + 1, method)
      if (found !== undefined) return found
    }
    for (const partial of current.partials) {
      if (matchesPartial(partial.literals, segment)) {
        const found = this.#match(partial.node, segments, i + 1, method)
        if (found !== undefined) return found
      }
    }
    if (current.param !== undefined && segment.length > 0) return this.#match(current.param, segments, i + 1, method)
    return undefined
  }
}
