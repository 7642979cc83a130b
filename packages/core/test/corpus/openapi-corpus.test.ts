/**
 * Every document of the OpenAPI security corpus (../shared/corpus/openapi-security): imported
 * with `fromOpenAPI` and generated verifiers, emitted again, compared with the original, checked
 * against the official OpenAPI JSON Schemas, and probed with random valid / invalid / malformed /
 * missing credentials against a reference OR-of-AND evaluator.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'
import { apiKey, fromOpenAPI, isAuthspecError, type OpenAPIAuth, type Requirement } from '../../src/index.js'
import {
  authorizationScheme,
  buildRequest,
  loadCorpus,
  prng,
  referenceAllows,
  Registry,
  slotKey,
  toDocument,
  type CorpusEntry,
  type Slot,
} from './corpus-support.js'

const corpus = loadCorpus()

// ---- Decisions on the corpus's oddities --------------------------------------------------------
// Strict import (plain verifier options, default options) must either succeed or fail with ONE
// config error naming every listed item. The tolerant import then states the documented way out.
const STRICT_ERRORS: Record<string, string[]> = {
  // `api_key_` has malformed keys (`type"`, no `type`) and operations use the undeclared `api_key`.
  'import.io-data.json': ['"api_key_" has type undefined', 'does not declare', 'api_key (GET /extractor/{extractorId}/csv/latest'],
  // Permission flags used as undeclared "schemes".
  'sinao.app.json': ['does not declare', 'is_logged (', 'is_authenticated (', 'is_limited (', 'disable_sanitization (', 'is_accountant ('],
  // Scopes the oauth2 flows do not declare.
  'asana.com.json': ['oauth2: "goals:write"', 'oauth2: "stories:delete"'],
  'linode.com.json': ['oauth: "databases:read_only"', 'oauth: "databases:read_write"', 'oauth: "ips:read"'],
  'openfinancebrasil.org.br-accounts.json': ['OAuth2Security: "consent:consentId"'],
  // Scopes on an http bearer scheme without a `scopes` function; `http` scheme "DSN".
  'sentry.io.json': ['cannot check them', '"auth_token" (GET /api/0/organizations/', 'http scheme "DSN"'],
  // Two templates of the same shape (forbidden by the specification) with different security.
  'trello.com.json': ['GET /boards/{idBoard}/cards/{idCard} and GET /boards/{idBoard}/cards/{filter} are the same path with different security'],
  // `http` schemes authspec does not implement.
  'mosip.io-esignet.json': ['"Authorization-DPoP" uses the http scheme "DPoP"'],
  'conjur.org.json': ['"conjurKubernetesMutualTls" uses the http scheme "mutual"'],
}
// Tolerances (each stated by the tolerant verifiers below):
// - undeclared oauth2 scopes → `undeclaredScopes: 'check'` (still enforced: the token must grant them)
const CHECK_SCOPES = new Set(['asana.com.json', 'linode.com.json', 'openfinancebrasil.org.br-accounts.json'])
// - same-shape templates with different security → `ambiguousPaths: 'all'` (a concrete path must satisfy all of them)
const ALL_PATHS = new Set(['trello.com.json'])
// - scopes on apiKey/basic/bearer → the verifier gets a `scopes` function (always, in tolerant mode)
// - unknown http schemes (DPoP, DSN, mutual) → a hand-written Scheme as their verifier
// - undeclared scheme names (sinao, import.io) and the malformed `api_key_` → Schemes passed as verifiers
// - Swagger 2.0 (gitea) → normalized to OpenAPI 3.0 (see NORMALIZATIONS)
// - `{}` alternatives, `[]` operations, OR of AND, relative oauth2 URLs, names with spaces,
//   apiKey in header `Authorization`, `#` in paths: accepted as written, no tolerance needed.

/** Emission differences from the original, one by one. Everything else must be deep-equal. */
const NORMALIZATIONS: Record<string, { why: string; apply: (schemes: Record<string, unknown>) => void }[]> = {
  'gitea.com.json': [
    {
      why: 'Swagger 2.0 securityDefinitions are emitted as OpenAPI 3 components.securitySchemes; `type: basic` becomes `{ type: http, scheme: basic }`',
      apply: (schemes) => {
        schemes.BasicAuth = { type: 'http', scheme: 'basic' }
      },
    },
  ],
  'import.io-data.json': [
    {
      why: 'the malformed `api_key_` entry is replaced by the scheme the user passed for it, and the undeclared `api_key` is added',
      apply: (schemes) => {
        schemes.api_key_ = { type: 'apiKey', in: 'query', name: '_apikey' }
        schemes.api_key = { type: 'apiKey', in: 'query', name: '_apikey' }
      },
    },
  ],
  'sinao.app.json': [
    {
      why: 'the undeclared permission-flag names are added with the schemes the user passed for them',
      apply: (schemes) => {
        for (const flag of SINAO_FLAGS) schemes[flag] = { type: 'apiKey', in: 'header', name: `X-Flag-${flag}` }
      },
    },
  ],
}
/**
 * Validation errors the SOURCE documents already have, kept as written (documented tolerance):
 * marketdata.app names its scheme "Api Authentication", outside the component-name pattern
 * `^[a-zA-Z0-9._-]+$` that the 3.1 JSON Schema enforces.
 */
const KNOWN_INVALID: Record<string, { version: '3.1'; propertyName: string }> = {
  'marketdata.app.json': { version: '3.1', propertyName: 'Api Authentication' },
}
const SINAO_FLAGS = ['is_logged', 'is_authenticated', 'is_limited', 'disable_sanitization', 'is_accountant']
const UNDECLARED_SCHEMES: Record<string, Record<string, Slot>> = {
  'import.io-data.json': { api_key_: { kind: 'query', name: '_apikey' }, api_key: { kind: 'query', name: '_apikey' } },
  'sinao.app.json': Object.fromEntries(SINAO_FLAGS.map((flag) => [flag, { kind: 'header', name: `X-Flag-${flag}` } as Slot])),
}
/** oauth2 schemes verified as JWT access tokens (`{ token }`) instead of a callback (`{ verify }`). */
const OAUTH2_JWT = new Set(['lichess.org.json', 'joinmastodon.org.json', 'openfinancebrasil.org.br-payments.json'])

// ---- Credentials -------------------------------------------------------------------------------
const HS_SECRET = 'corpus-test-secret-that-is-at-least-32-bytes-long!!'
const WRONG_SECRET = 'another-secret-that-is-also-32-bytes-long-or-more!'
const ISSUER = 'https://issuer.corpus.test'
const AUDIENCE = 'corpus-api'
const rsa = await generateKeyPair('RS256')
const jwk = { ...(await exportJWK(rsa.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
const encoder = new TextEncoder()

async function signHs(scopes: readonly string[], secret = HS_SECRET): Promise<string> {
  return new SignJWT({ scope: scopes.join(' ') }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE)
    .setSubject('u1').setIssuedAt().setExpirationTime('1h').sign(encoder.encode(secret))
}
async function signRs(issuer: string, scopes: readonly string[]): Promise<string> {
  return new SignJWT({ scope: scopes.join(' ') }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(issuer).setAudience(AUDIENCE)
    .setSubject('u1').setIssuedAt().setExpirationTime('1h').sign(rsa.privateKey)
}

/** OIDC discovery and JWKS served in-process (no network). */
const oidcFetch = async (url: string): Promise<Response> => {
  const u = new URL(url)
  if (u.pathname.endsWith('/.well-known/openid-configuration')) {
    return Response.json({ issuer: u.origin, jwks_uri: `${u.origin}/jwks` })
  }
  if (u.pathname === '/jwks') return Response.json({ keys: [jwk] })
  return new Response('not found', { status: 404 })
}

type Kind = 'apiKey' | 'basic' | 'bearer' | 'jwt' | 'oauth2' | 'oauth2-jwt' | 'oidc' | 'custom' | 'unknown'
interface SchemeInfo {
  kind: Kind
  slot: Slot
  /** Auth-scheme of an `Authorization` credential. */
  prefix?: string
  oidcIssuer?: string
}

function b64(text: string): string {
  return btoa(String.fromCharCode(...encoder.encode(text)))
}

function infoFor(file: string, object: Record<string, unknown> | undefined, undeclaredSlot: Slot | undefined): SchemeInfo {
  const authorization: Slot = { kind: 'header', name: 'Authorization' }
  if (undeclaredSlot !== undefined) return { kind: 'apiKey', slot: undeclaredSlot }
  const type = object?.type
  if (type === 'apiKey') return { kind: 'apiKey', slot: { kind: object!.in as Slot['kind'], name: object!.name as string } }
  if (type === 'basic') return { kind: 'basic', slot: authorization, prefix: 'Basic' }
  if (type === 'http') {
    const scheme = String(object!.scheme).toLowerCase()
    if (scheme === 'basic') return { kind: 'basic', slot: authorization, prefix: 'Basic' }
    if (scheme === 'bearer') return { kind: object!.bearerFormat === 'JWT' ? 'jwt' : 'bearer', slot: authorization, prefix: 'Bearer' }
    return { kind: 'custom', slot: authorization, prefix: String(object!.scheme) }
  }
  if (type === 'oauth2') return { kind: OAUTH2_JWT.has(file) ? 'oauth2-jwt' : 'oauth2', slot: authorization, prefix: 'Bearer' }
  if (type === 'openIdConnect') {
    const url = String(object!.openIdConnectUrl)
    return { kind: 'oidc', slot: authorization, prefix: 'Bearer', oidcIssuer: url.slice(0, -'/.well-known/openid-configuration'.length) }
  }
  // No usable `type` (import.io's `api_key_`): strict mode passes plain options, which must be refused.
  return { kind: 'unknown', slot: { kind: 'header', name: 'X-Unknown' } }
}

interface Setup {
  infos: Map<string, SchemeInfo>
  verifiers: Record<string, unknown>
}

function setup(entry: CorpusEntry, registry: Registry, tolerant: boolean): Setup {
  const infos = new Map<string, SchemeInfo>()
  const verifiers: Record<string, unknown> = {}
  const undeclared = tolerant ? (UNDECLARED_SCHEMES[entry.file] ?? {}) : {}
  const names = new Set([...Object.keys(entry.securitySchemes), ...Object.keys(undeclared)])
  for (const name of names) {
    const object = entry.securitySchemes[name]
    const info = infoFor(entry.file, object, undeclared[name])
    infos.set(name, info)
    const scopes = tolerant ? { scopes: (p: { scopes: readonly string[] }) => p.scopes } : {}
    const byValue = (value: string): { scheme: string; scopes: readonly string[] } | null => {
      const granted = registry.grant(value, name)
      return granted !== undefined ? { scheme: name, scopes: granted } : null
    }
    switch (info.kind) {
      case 'apiKey':
        verifiers[name] = undeclared[name] !== undefined
          ? apiKey({ in: info.slot.kind, name: info.slot.name, verify: byValue, scopes: (p) => p.scopes })
          : { verify: byValue, ...scopes }
        break
      case 'basic':
        verifiers[name] = { verify: ({ username, password }: { username: string; password: string }) => byValue(`Basic ${b64(`${username}:${password}`)}`), ...scopes }
        break
      case 'bearer':
        verifiers[name] = { verify: (token: string) => byValue(`Bearer ${token}`), ...scopes }
        break
      case 'jwt':
        verifiers[name] = { algorithms: ['HS256'], secret: HS_SECRET, issuer: ISSUER, audience: AUDIENCE, cache: false }
        break
      case 'oauth2':
        verifiers[name] = { verify: (token: string) => { const g = byValue(`Bearer ${token}`); return g && { scope: g.scopes.join(' ') } } }
        break
      case 'oauth2-jwt':
        verifiers[name] = { token: { algorithms: ['HS256'], secret: HS_SECRET, issuer: ISSUER, audience: AUDIENCE } }
        break
      case 'oidc':
        verifiers[name] = { algorithms: ['RS256'], audience: AUDIENCE, remoteKeys: { fetch: oidcFetch } }
        break
      case 'unknown':
        if (tolerant) throw new Error(`${entry.file}: no credential model for ${name}`)
        verifiers[name] = { verify: (key: string) => byValue(key) }
        break
      case 'custom':
        verifiers[name] = tolerant ? authorizationScheme(name, info.prefix!, object!, registry) : { verify: (token: string) => byValue(token) }
        break
    }
  }
  return { infos, verifiers }
}

async function credential(state: 'valid' | 'invalid' | 'malformed', name: string, info: SchemeInfo, scopes: readonly string[], registry: Registry): Promise<string> {
  const id = registry.nextId()
  switch (info.kind) {
    case 'apiKey':
      return state === 'valid' ? registry.issue(name, scopes, (g) => `key-${g}`) : `key-wrong-${id}`
    case 'basic':
      if (state === 'malformed') return 'Basic !!!not-base64'
      return state === 'valid' ? registry.issue(name, scopes, (g) => `Basic ${b64(`${g}:pw-${g}`)}`) : `Basic ${b64(`nobody-${id}:wrong`)}`
    case 'jwt':
    case 'oauth2-jwt':
      if (state === 'malformed') return 'Bearer two words'
      return state === 'valid' ? registry.register(`Bearer ${await signHs(scopes)}`, name, scopes) : `Bearer ${await signHs(scopes, WRONG_SECRET)}`
    case 'oidc':
      if (state === 'malformed') return 'Bearer two words'
      return state === 'valid' ? registry.register(`Bearer ${await signRs(info.oidcIssuer!, scopes)}`, name, scopes) : `Bearer ${await signHs(scopes)}`
    default: {
      const prefix = info.prefix!
      if (state === 'malformed') return `${prefix} two words`
      return state === 'valid' ? registry.issue(name, scopes, (g) => `${prefix} tok-${g}`) : `${prefix} wrong-${id}`
    }
  }
}

/** Signature-checked credentials (JWT, OIDC) cannot be good for another scheme; write them first. */
function rank(info: SchemeInfo): number {
  return info.kind === 'jwt' || info.kind === 'oauth2-jwt' || info.kind === 'oidc' ? 0 : 1
}

/** Whether a callback-checked scheme can accept `value`, already written by another scheme in its slot. */
function canShare(info: SchemeInfo, value: string): boolean {
  if (rank(info) === 0 || info.kind === 'unknown') return false
  if (info.kind === 'apiKey') return true // reads the slot's raw value
  return value.slice(0, info.prefix!.length + 1).toLowerCase() === `${info.prefix!.toLowerCase()} `
}

/** A concrete request path for a template: parameters filled, APIs.guru `#…` suffix dropped. */
function concrete(template: string): string {
  return template.split('#')[0]!.replace(/\{[^}]*\}/g, (_, i: number) => `v${i}`)
}

function effective(entry: CorpusEntry, op: CorpusEntry['operations'][number]): Requirement {
  return op.security ?? entry.security ?? []
}

/** Reference AND of requirements (ambiguousPaths: 'all'): every pair of alternatives united. */
function both(a: Requirement, b: Requirement): Requirement {
  if (a.length === 0) return b
  if (b.length === 0 || JSON.stringify(a) === JSON.stringify(b)) return a
  return a.flatMap((left) =>
    b.map((right) => {
      const out: Record<string, string[]> = {}
      for (const [name, scopes] of [...Object.entries(left), ...Object.entries(right)]) out[name] = [...new Set([...(out[name] ?? []), ...(scopes ?? [])])]
      return out
    }),
  )
}

/** What a concrete request path of `op` must satisfy: with ambiguousPaths 'all', every same-shape operation's requirement. */
function expectedFor(entry: CorpusEntry, op: CorpusEntry['operations'][number]): Requirement {
  if (!ALL_PATHS.has(entry.file)) return effective(entry, op)
  const shape = (p: string): string => p.replace(/\{[^}]*\}/g, '{}')
  return entry.operations
    .filter((other) => other.method === op.method && shape(other.path) === shape(op.path))
    .reduce<Requirement>((acc, other) => both(acc, effective(entry, other)), [])
}

// ---- Validation against the official JSON Schemas ------------------------------------------------
async function validate(document: object): Promise<{ valid: boolean; errors?: unknown }> {
  const result = await new Validator().validate(structuredClone(document) as never)
  return { valid: result.valid, errors: result.errors }
}

let documents = 0
let operations = 0
let combinations = 0
let allowed = 0
let validated = 0

afterAll(() => {
  console.log(
    `OpenAPI corpus: ${documents} documents, ${operations} operations, ${combinations} credential combinations (${allowed} allowed, ${combinations - allowed} denied), ${validated} emitted documents validated`,
  )
})

describe('OpenAPI security corpus', () => {
  it('has every file of INDEX.md', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25)
  })

  for (const entry of corpus) {
    describe(entry.file, () => {
      it(STRICT_ERRORS[entry.file] ? 'strict import → one config error naming every problem' : 'strict import succeeds', () => {
        const registry = new Registry()
        const { verifiers } = setup(entry, registry, false)
        const run = (): OpenAPIAuth => fromOpenAPI(toDocument(entry), { verifiers: verifiers as never })
        const expected = STRICT_ERRORS[entry.file]
        if (expected === undefined) {
          expect(run).not.toThrow()
          return
        }
        let error: unknown
        try {
          run()
        } catch (caught) {
          error = caught
        }
        expect(isAuthspecError(error) && error.code).toBe('ERR_AUTHSPEC_CONFIG')
        for (const part of expected) expect((error as Error).message).toContain(part)
      })

      it('round trip, schema validation and random credentials match the reference evaluator', async () => {
        const registry = new Registry()
        const { infos, verifiers } = setup(entry, registry, true)
        const auth = fromOpenAPI(toDocument(entry), {
          verifiers: verifiers as never,
          ...(CHECK_SCOPES.has(entry.file) ? { undeclaredScopes: 'check' as const } : {}),
          ...(ALL_PATHS.has(entry.file) ? { ambiguousPaths: 'all' as const } : {}),
        })

        // Emission: securitySchemes, document security, every operation's security.
        const version = entry.openapi === '2.0' ? '3.0.3' : entry.openapi
        const emitted = auth.mergeInto(toDocument(entry, false, version), { operations: auth.operations }) as unknown as {
          components: { securitySchemes: Record<string, unknown> }
          security?: unknown
          paths: Record<string, Record<string, { security?: unknown; responses: Record<string, unknown> }>>
        }
        const expectedSchemes = structuredClone(entry.securitySchemes) as Record<string, unknown>
        for (const normalization of NORMALIZATIONS[entry.file] ?? []) normalization.apply(expectedSchemes)
        expect(emitted.components.securitySchemes).toEqual(expectedSchemes)
        expect(emitted.security).toEqual(entry.security ?? undefined)
        for (const op of entry.operations) {
          expect(emitted.paths[op.path]![op.method]!.security, `${op.method} ${op.path}`).toEqual(op.security ?? undefined)
        }

        // The emitted document imports again to the same security.
        const again = fromOpenAPI(emitted, { verifiers: verifiers as never, undeclaredScopes: 'check', ambiguousPaths: 'all' })
        expect(again.openapi()).toEqual(auth.openapi())
        expect(again.operations).toEqual(auth.operations)

        // The official JSON Schemas: the fuller document as emitted, then 3.0 and 3.1 variants and
        // auth.openapi() in a minimal document.
        const known = KNOWN_INVALID[entry.file]
        const check = async (v: '3.0' | '3.1', document: object): Promise<void> => {
          const { errors } = await validate(document)
          if (known !== undefined && known.version === v) {
            expect(errors).not.toEqual([])
            for (const error of errors as { propertyName?: string; params: { propertyName?: string } }[]) {
              expect(error.propertyName ?? error.params.propertyName).toBe(known.propertyName)
            }
          } else {
            expect(errors ?? []).toEqual([])
          }
          validated++
        }
        await check(entry.openapi.startsWith('3.1') ? '3.1' : '3.0', emitted)
        for (const [v, openapi] of [['3.0', '3.0.3'], ['3.1', '3.1.0']] as const) {
          await check(v, { openapi, info: { title: 'minimal', version: '1' }, paths: {}, ...auth.openapi({ version: v }) })
          await check(v, auth.mergeInto(toDocument(entry, false, openapi), { operations: auth.operations }))
        }

        // Random credentials against the reference evaluator, for every operation.
        const random = prng(entry.file.length * 7919 + 17)
        for (const op of entry.operations) {
          const path = concrete(op.path)
          const requirement = auth.requirementFor(op.method.toUpperCase(), path)
          expect(requirement, `requirementFor(${op.method}, ${path})`).toEqual(expectedFor(entry, op))
          // A template spelled literally is a path like any other (a router sends it to the same handler):
          // under ambiguousPaths 'all' it gets the same ANDed requirement as a concrete path.
          expect(auth.requirementFor(op.method, op.path), 'the template as written').toEqual(expectedFor(entry, op))
          const needed = new Map<string, Set<string>>()
          for (const alternative of requirement!) {
            for (const [name, scopes] of Object.entries(alternative)) {
              const set = needed.get(name) ?? new Set<string>()
              for (const s of scopes ?? []) set.add(s)
              needed.set(name, set)
            }
          }
          const slotOf = (name: string): Slot => infos.get(name)!.slot
          const trials = needed.size === 0 ? 2 : 24
          for (let trial = 0; trial < trials; trial++) {
            const slots = new Map<string, { slot: Slot; value: string }>()
            const validSlots = new Set<string>()
            // Trial 0 writes signature-checked credentials first, so that callback-checked schemes
            // reading the same slot can share them (an AND of two schemes on one Authorization header).
            const order = trial === 0 ? [...needed.keys()].sort((a, b) => rank(infos.get(a)!) - rank(infos.get(b)!)) : [...needed.keys()].sort(() => random() - 0.5)
            for (const name of order) {
              const info = infos.get(name)!
              const all = [...needed.get(name)!]
              // Trial 0: every scheme valid with every scope it is asked.
              const pick = trial === 0 ? 0 : Math.floor(random() * 5)
              if (pick === 4) continue // missing
              const state = pick <= 1 ? 'valid' : pick === 2 ? 'invalid' : 'malformed'
              const scopes = pick === 1 ? all.filter(() => random() < 0.5) : all
              const key = slotKey(info.slot)
              const existing = slots.get(key)?.value
              if (state === 'valid' && existing !== undefined && validSlots.has(key) && canShare(info, existing) && (trial === 0 || random() < 0.5)) {
                registry.register(existing, name, scopes) // the value already there is good for this scheme too
                continue
              }
              const malformedOk = info.kind !== 'apiKey'
              const value = await credential(state === 'malformed' && !malformedOk ? 'invalid' : state, name, info, scopes, registry)
              slots.set(key, { slot: info.slot, value })
              if (state === 'valid') validSlots.add(key)
              else validSlots.delete(key)
            }
            const expectedAllow = referenceAllows(requirement!, slotOf, slots, registry)
            const result = await auth.authenticate(buildRequest(op.method, path, slots), requirement)
            expect(result.ok, `${op.method} ${path} ${JSON.stringify(requirement)} with ${JSON.stringify([...slots.values()])}`).toBe(expectedAllow)
            if (!result.ok) expect([400, 401, 403]).toContain(result.status)
            // Every requirement of the corpus can be met: with all credentials valid, it is.
            if (trial === 0) expect(result.ok, `${op.method} ${path}: every credential valid`).toBe(true)
            combinations++
            if (result.ok) allowed++
          }
          operations++
        }
        documents++
      })
    })
  }

  it('checked every document (printed above)', () => {
    // Runs last in this file: the per-document tests above incremented the counters.
    expect(documents).toBe(corpus.length)
    expect(operations).toBe(corpus.reduce((n, e) => n + e.operations.length, 0))
    expect(allowed).toBeGreaterThan(0)
    expect(combinations - allowed).toBeGreaterThan(0)
  })
})


