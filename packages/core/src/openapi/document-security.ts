import type { OpenAPIVersion, Requirement } from '../types.js'
import { setOwn } from '../internal/set-own.js'
import { ROLES_EXTENSION } from '../openapi-output/builder.js'
import { isObject } from './import-schemes.js'
import { OPERATION_METHODS } from '../openapi-output/merge.js'

/** One `security` of a document (the document's or an operation's), with where it is. */
export interface SecuritySite {
  readonly where: string
  readonly security: unknown
}

/** One operation of a document, its own `security` as written (`undefined`: inherits). */
export interface SourceOperation {
  readonly method: string
  readonly template: string
  readonly security: unknown
}

/** Every requirement of a document, read once. */
export interface DocumentSecurity {
  /** The document-level `security` as written. */
  readonly security: unknown
  readonly operations: readonly SourceOperation[]
  /** Every `security` written, for checks that list where each problem is. */
  readonly sites: readonly SecuritySite[]
  /** Scheme names the requirements use, each with where it is used (shapes checked). */
  readonly used: ReadonlyMap<string, string[]>
}

/** Record that `key` occurs at `where` (each place once). */
export function addSite(map: Map<string, string[]>, key: string, where: string): void {
  const sites = map.get(key)
  if (sites === undefined) map.set(key, [where])
  else if (!sites.includes(where)) sites.push(where)
}

/** `A (GET /x, POST /y, +2 more), B (…)`: items with the first few places they occur. */
export function describeList(items: Map<string, string[]>): string {
  return [...items]
    .map(([item, sites]) => `${item} (${sites.slice(0, 3).join(', ')}${sites.length > 3 ? `, +${sites.length - 3} more` : ''})`)
    .join(', ')
}

/**
 * Read the document's and every operation's `security` (following internal path-item `$ref`s),
 * pushing each problem of shape onto `problems`. authspec's own 3.0 output keeps the roles 3.0
 * cannot carry in `security` in an extension, which is read instead when present.
 */
export function readDocumentSecurity(document: Record<string, unknown>, version: OpenAPIVersion, problems: string[]): DocumentSecurity {
  const sites: SecuritySite[] = []
  const securityOf = (object: Record<string, unknown>): unknown =>
    version === '3.0' && Array.isArray(object[ROLES_EXTENSION]) ? object[ROLES_EXTENSION] : object.security
  const security = securityOf(document)
  if (security !== undefined) sites.push({ where: 'document security', security })
  const operations: SourceOperation[] = []
  if (document.paths !== undefined && !isObject(document.paths)) problems.push('paths is not an object')
  for (const [template, rawItem] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    let item = rawItem
    if (isObject(item) && typeof item.$ref === 'string') {
      const ref = item.$ref
      item = resolvePointer(document, ref)
      if (item === undefined) {
        problems.push(`path item ${template} is an unresolved $ref (${ref}); resolve references first`)
        continue
      }
    }
    if (!isObject(item)) continue
    const methods: [string, unknown][] = OPERATION_METHODS.map((m) => [m, item[m]])
    if (isObject(item.additionalOperations)) methods.push(...Object.entries(item.additionalOperations))
    for (const [method, operation] of methods) {
      if (!isObject(operation)) continue
      const own = securityOf(operation)
      operations.push({ method, template, security: own })
      if (own !== undefined) sites.push({ where: `${method.toUpperCase()} ${template}`, security: own })
    }
  }
  return { security, operations, sites, used: usedNames(sites, problems) }
}

/** Names used in requirements, shapes checked. */
function usedNames(sites: readonly SecuritySite[], problems: string[]): Map<string, string[]> {
  const used = new Map<string, string[]>()
  for (const site of sites) {
    if (!Array.isArray(site.security)) {
      problems.push(`${site.where}: security must be an array`)
      continue
    }
    for (const object of site.security) {
      if (!isObject(object)) {
        problems.push(`${site.where}: a security requirement is not an object`)
        continue
      }
      for (const [name, scopes] of Object.entries(object)) {
        if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string')) problems.push(`${site.where}: scopes of "${name}" must be an array of strings`)
        addSite(used, name, site.where)
      }
    }
  }
  return used
}

/** True when two requirements say the same. */
export function sameRequirement(a: Requirement, b: Requirement): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/** A deep, frozen copy: later changes to the document do not change what is enforced. */
export function frozenRequirement(security: unknown[]): Requirement {
  return Object.freeze(
    security.map((object) => {
      const copy: Record<string, readonly string[]> = {}
      // Malformed entries (`[null]`, `{ K: 5 }`) are already listed as problems: never a TypeError here.
      if (!isObject(object)) return Object.freeze(copy)
      for (const [name, scopes] of Object.entries(object)) setOwn(copy, name, Object.freeze(Array.isArray(scopes) ? [...(scopes as string[])] : []))
      return Object.freeze(copy)
    }),
  )
}

function resolvePointer(document: Record<string, unknown>, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined
  let current: unknown = document
  for (const raw of ref.slice(2).split('/')) {
    let key: string
    try {
      key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~')
    } catch {
      return undefined // `#/x%ZZ`: not a pointer; reported as an unresolved $ref, not a URIError
    }
    if (!isObject(current) || !Object.hasOwn(current, key)) return undefined
    current = current[key]
  }
  return current
}
