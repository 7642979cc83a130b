/**
 * Test support for the OpenAPI security corpus: documents rebuilt from the corpus JSON files,
 * a registry of known-good credentials, request building per scheme, verifiers that accept
 * only registered credentials, and a reference OR-of-AND evaluator that never looks at how
 * authspec parses requests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Requirement } from '../../src/index.js'
import type { AnyScheme } from '../../src/schemes/index.js'

export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/corpus/openapi-security', import.meta.url))

export interface CorpusOperation {
  method: string
  path: string
  security: Array<Record<string, string[]>> | null
}

export interface CorpusEntry {
  file: string
  source: string
  openapi: string
  securitySchemes: Record<string, Record<string, unknown>>
  security: Array<Record<string, string[]>> | null
  operations: CorpusOperation[]
}

/** Every corpus file; throws when the corpus is missing (never a silently empty test). */
export function loadCorpus(): CorpusEntry[] {
  if (!existsSync(CORPUS_DIR)) throw new Error(`OpenAPI security corpus not found at ${CORPUS_DIR}`)
  const files = readdirSync(CORPUS_DIR).filter((f) => f.endsWith('.json')).sort()
  if (files.length === 0) throw new Error(`no .json files in ${CORPUS_DIR}`)
  return files.map((file) => ({ file, ...(JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as Omit<CorpusEntry, 'file'>) }))
}

/** The corpus entry as an OpenAPI (or Swagger 2.0) document. `withSecurity: false` strips all security. */
export function toDocument(entry: CorpusEntry, withSecurity = true, openapi = entry.openapi): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const op of entry.operations) {
    const operation: Record<string, unknown> = { responses: { '200': { description: 'OK' } } }
    if (withSecurity && op.security !== null) operation.security = structuredClone(op.security)
    ;(paths[op.path] ??= {})[op.method] = operation
  }
  const info = { title: entry.file, version: '1.0.0' }
  const security = withSecurity && entry.security !== null ? { security: structuredClone(entry.security) } : {}
  if (openapi === '2.0') {
    return { swagger: '2.0', info, paths, ...(withSecurity ? { securityDefinitions: structuredClone(entry.securitySchemes) } : {}), ...security }
  }
  return { openapi, info, paths, ...(withSecurity ? { components: { securitySchemes: structuredClone(entry.securitySchemes) } } : {}), ...security }
}

/** Where a scheme's credential travels; several schemes may share one slot (`Authorization`). */
export type Slot = { kind: 'header' | 'query' | 'cookie'; name: string }

export function slotKey(slot: Slot): string {
  return slot.kind === 'header' ? `header:${slot.name.toLowerCase()}` : `${slot.kind}:${slot.name}`
}

/**
 * Known-good credentials: the value written in a slot → the schemes it is good for, each with
 * the scopes it grants (one value may be good for several schemes that read the same slot).
 */
export class Registry {
  readonly #grants = new Map<string, Map<string, readonly string[]>>()
  #counter = 0

  issue(scheme: string, scopes: readonly string[], make: (id: string) => string): string {
    return this.register(make(`g${++this.#counter}`), scheme, scopes)
  }

  register(value: string, scheme: string, scopes: readonly string[]): string {
    let schemes = this.#grants.get(value)
    if (schemes === undefined) this.#grants.set(value, (schemes = new Map()))
    schemes.set(scheme, [...scopes])
    return value
  }

  /** The scopes `value` grants for `scheme`, or `undefined` when it is not good for it. */
  grant(value: string | undefined, scheme: string): readonly string[] | undefined {
    return value === undefined ? undefined : this.#grants.get(value)?.get(scheme)
  }

  nextId(): string {
    return `x${++this.#counter}`
  }
}

/** Build a request from the slot values. */
export function buildRequest(method: string, path: string, slots: Map<string, { slot: Slot; value: string }>): Request {
  const query: string[] = []
  const cookies: string[] = []
  const headers = new Headers()
  for (const { slot, value } of slots.values()) {
    if (slot.kind === 'header') headers.set(slot.name, value)
    else if (slot.kind === 'query') query.push(`${encodeURIComponent(slot.name)}=${encodeURIComponent(value)}`)
    else cookies.push(`${slot.name}=${value}`)
  }
  if (cookies.length > 0) headers.set('cookie', cookies.join('; '))
  const url = `http://corpus.test${path}${query.length > 0 ? `?${query.join('&')}` : ''}`
  return new Request(url, { method: method.toUpperCase() === 'QUERY' ? 'POST' : method.toUpperCase(), headers })
}

/**
 * Reference OR-of-AND evaluation: an alternative passes when each of its schemes finds, in
 * its own slot, a value registered for that scheme with every scope the alternative asks.
 * `[]` and `{}` pass (the caller applies the `{}` rule: it passes only when no presented
 * credential was refused).
 */
export function referenceAllows(
  requirement: Requirement,
  slotOf: (scheme: string) => Slot,
  slots: Map<string, { slot: Slot; value: string }>,
  registry: Registry,
): boolean {
  if (requirement.length === 0) return true
  return requirement.some((alternative) =>
    Object.entries(alternative).every(([scheme, scopes]) => {
      const granted = registry.grant(slots.get(slotKey(slotOf(scheme)))?.value, scheme)
      return granted !== undefined && (scopes ?? []).every((s) => granted.includes(s))
    }),
  )
}

/** A deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * A hand-written scheme for an `Authorization: <authScheme> <credentials>` scheme authspec does
 * not implement (DPoP, DSN, mutual): what a user passes as the verifier of such a scheme.
 * Accepts only credentials the registry issued for it; emits `object` as its OpenAPI form.
 */
export function authorizationScheme(name: string, authScheme: string, object: Record<string, unknown>, registry: Registry): AnyScheme {
  const prefix = `${authScheme.toLowerCase()} `
  return {
    type: 'http',
    scopeMode: 'any',
    varyHeaders: ['Authorization'],
    extract: (view) => {
      const value = view.header('authorization')
      if (value === null || value.slice(0, prefix.length).toLowerCase() !== prefix) return { state: 'absent' }
      return { state: 'present', credential: value }
    },
    verify: (credential) => {
      const granted = registry.grant(credential as string, name)
      return granted !== undefined ? { ok: true, principal: { scheme: name }, scopes: granted } : { ok: false, reason: 'invalid' }
    },
    challenge: ({ realm, error }) => `${authScheme} realm="${realm}"${error === undefined ? '' : `, error="${error}"`}`,
    toOpenAPI: () => structuredClone(object) as unknown as ReturnType<AnyScheme['toOpenAPI']>,
  }
}
