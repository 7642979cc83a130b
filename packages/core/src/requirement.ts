import { configError } from './errors.js'
import type { AnyScheme, Requirement, SchemeMap } from './types.js'
import { isPlainObject } from './internal/plain-object.js'

/** One scheme of one alternative, resolved. */
export interface PreparedEntry {
  readonly name: string
  /** Index into {@link PreparedRequirement.names}: a scheme's outcome is shared across alternatives. */
  readonly index: number
  readonly scheme: AnyScheme
  readonly scopes: readonly string[]
}

/**
 * A requirement checked against an auth's schemes, ready for evaluation. Create it once (at
 * start-up) with `auth.prepare(requirement)`; `authenticate` accepts it in place of the array.
 */
export interface PreparedRequirement<R = Requirement> {
  /** The requirement as given (OpenAPI `security`). */
  readonly requirement: R
  readonly alternatives: readonly (readonly PreparedEntry[])[]
  /** Distinct scheme names, in order of first appearance. */
  readonly names: readonly string[]
  /** Request headers that select the response (for `Vary`), deduplicated. */
  readonly vary: readonly string[]
  /** `[]`: no authentication at all. */
  readonly isPublic: boolean
  /** Challenges without error parameters, one per scheme in `names`. */
  readonly challenges: readonly string[]
}

const prepared = new WeakSet<object>()

/** True when `text` has a character a header value cannot carry (above U+00FF). */
function beyondLatin1(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0xff) return true
  return false
}

/**
 * Why a requirement object is not a plain object of own enumerable scheme names, or
 * `undefined`. Anything else (a `Map`, a class instance, keys on a prototype or hidden) would
 * read as `{}`, i.e. anonymous access.
 */
function shapeProblem(object: unknown): string | undefined {
  if (object === null || typeof object !== 'object') return 'is not a plain object'
  if (!isPlainObject(object)) return 'is not a plain object (a Map, array, class instance or object with a prototype of its own)'
  if (Object.getOwnPropertySymbols(object).length > 0) return 'has symbol keys'
  const hidden = Object.getOwnPropertyNames(object).filter((name) => !Object.prototype.propertyIsEnumerable.call(object, name))
  if (hidden.length > 0) return `has non-enumerable keys (${hidden.join(', ')})`
  return undefined
}

/**
 * Two schemes of one alternative that need the one `Authorization` header with different
 * auth-schemes (Basic AND Bearer) can never both pass: a description of the clash, or `undefined`.
 */
function authorizationClash(entries: readonly PreparedEntry[]): string | undefined {
  let first: PreparedEntry | undefined
  for (const entry of entries) {
    const authScheme = entry.scheme.authScheme?.toLowerCase()
    if (authScheme === undefined) continue
    if (first === undefined) first = entry
    else if (first.scheme.authScheme!.toLowerCase() !== authScheme) {
      return `"${first.name}" and "${entry.name}" both need the Authorization header, as ${first.scheme.authScheme} and as ${entry.scheme.authScheme}, and a request has one`
    }
  }
  return undefined
}

/** True when `value` was made by {@link prepareRequirement} (`auth.prepare`). */
export function isPreparedRequirement(value: unknown): value is PreparedRequirement<unknown> {
  return typeof value === 'object' && value !== null && prepared.has(value)
}

/** Problems with the scopes a requirement asks of scheme `name`, pushed to `problems`. */
function checkScopes(name: string, scheme: AnyScheme, scopes: readonly string[], problems: string[]): void {
  const mode = scheme.scopeMode
  if (scopes.length === 0 || mode === 'any') return
  if (mode === 'none') problems.push(`scheme "${name}" cannot check scopes (give it a scopes option) but the requirement asks ${JSON.stringify(scopes)}`)
  else for (const scope of scopes) if (!mode.has(scope)) problems.push(`scope "${scope}" of "${name}" is not declared in its flows`)
}

/** The entries of one requirement object; its problems go to `problems`, new scheme names to `names`. */
function prepareAlternative(object: Record<string, unknown>, schemes: SchemeMap, names: string[], problems: string[]): PreparedEntry[] {
  const entries: PreparedEntry[] = []
  for (const [name, scopes] of Object.entries(object)) {
    const scheme = Object.hasOwn(schemes, name) ? schemes[name] : undefined
    if (scheme === undefined) {
      problems.push(`unknown scheme "${name}"`)
      continue
    }
    if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string' || s.length === 0)) {
      problems.push(`scopes of "${name}" must be an array of non-empty strings`)
      continue
    }
    checkScopes(name, scheme, scopes as string[], problems)
    let index = names.indexOf(name)
    if (index === -1) index = names.push(name) - 1
    entries.push({ name, index, scheme, scopes: Object.freeze([...(scopes as string[])]) })
  }
  return entries
}

/** The challenge of each scheme in `names`; a challenge no HTTP header can carry is a problem. */
function prepareChallenges(names: readonly string[], alternatives: readonly (readonly PreparedEntry[])[], schemes: SchemeMap, realm: string, resourceMetadata: string | undefined, problems: string[]): string[] {
  const asked = resourceMetadata === undefined ? undefined : askedScopes(names, alternatives)
  const challenges = names.map((name, i) => {
    const scheme = schemes[name]!
    // An OAuth resource server (RFC 9728 §5.1, MCP) also names its metadata and the scopes asked.
    if (asked !== undefined) return scheme.challenge({ realm: scheme.realm ?? realm, scope: asked[i]!, resourceMetadata })
    return scheme.challenge({ realm: scheme.realm ?? realm })
  })
  // A header value cannot carry characters above U+00FF (`Headers` and Node throw): refuse a
  // realm, apiKey name or scope that would make every failure response a 500, now.
  for (const entries of alternatives) {
    for (const { name, scheme, scopes } of entries) {
      const worst = scheme.challenge({ realm: scheme.realm ?? realm, error: 'insufficient_scope', scope: scopes, resourceMetadata })
      if (beyondLatin1(worst)) problems.push(`the challenge of "${name}" (realm, name or scopes ${JSON.stringify(scopes)}) has characters above U+00FF, which no HTTP header can carry`)
    }
  }
  return challenges
}

function refuseIfProblems(requirement: Requirement, problems: readonly string[]): void {
  if (problems.length > 0) throw configError(`invalid security requirement ${JSON.stringify(requirement)}: ${[...new Set(problems)].join('; ')}`)
}

/**
 * Check a requirement against the schemes and resolve it; every problem is collected and thrown
 * as one `ERR_AUTHSPEC_CONFIG`.
 */
export function prepareRequirement<R extends Requirement>(
  requirement: R,
  schemes: SchemeMap,
  realm: string,
  resourceMetadata?: string,
): PreparedRequirement<R> {
  if (!Array.isArray(requirement)) throw configError('a security requirement must be an array of requirement objects')
  const problems: string[] = []
  const names: string[] = []
  const alternatives: PreparedEntry[][] = []
  for (const [i, object] of requirement.entries()) {
    const shape = shapeProblem(object)
    if (shape !== undefined) {
      problems.push(`requirement #${i} ${shape}`)
      continue
    }
    const entries = prepareAlternative(object as Record<string, unknown>, schemes, names, problems)
    const clash = authorizationClash(entries)
    if (clash !== undefined) problems.push(`requirement #${i} ${JSON.stringify(object)} can never pass: ${clash}`)
    alternatives.push(entries)
  }
  refuseIfProblems(requirement, problems)
  const vary = new Set<string>()
  for (const name of names) for (const header of schemes[name]!.varyHeaders) vary.add(header)
  const challenges = prepareChallenges(names, alternatives, schemes, realm, resourceMetadata, problems)
  refuseIfProblems(requirement, problems)
  // What was checked is what is enforced and documented: a later change to the same array
  // (say, pushing a scope) would otherwise be ignored by the cache that maps it to this result.
  freezeRequirement(requirement)
  const result: PreparedRequirement<R> = Object.freeze({ requirement, alternatives, names, vary: [...vary], isPublic: requirement.length === 0, challenges })
  prepared.add(result)
  return result
}

/** Per scheme in `names`, the union of the scopes its entries ask, in first-seen order. */
function askedScopes(names: readonly string[], alternatives: readonly (readonly PreparedEntry[])[]): string[][] {
  const out = names.map((): string[] => [])
  for (const entries of alternatives) {
    for (const { index, scopes } of entries) for (const scope of scopes) if (!out[index]!.includes(scope)) out[index]!.push(scope)
  }
  return out
}

/** Freeze a requirement, its objects and their scope arrays (in place). */
function freezeRequirement(requirement: Requirement): void {
  for (const object of requirement) {
    for (const scopes of Object.values(object)) Object.freeze(scopes)
    Object.freeze(object)
  }
  Object.freeze(requirement)
}
