import { configError } from '../errors.js'
import { isToken } from '../internal/authorization-header.js'
import { challenge } from '../internal/quoted-string.js'
import type { RequestView } from '../internal/request-view.js'
import { secretMatcher } from '../internal/timing-safe-equal.js'
import { INVALID, runVerify } from '../internal/verify-callback.js'
import type { AuthContext, Awaitable, Extracted, Scheme, VerifyOutcome } from '../types.js'
import { optionNames } from '../internal/check-options.js'
import { storedKeyVerifier, type StoredKeyOptions } from '../api-keys/stored-key.js'
import { COMMON_OPTIONS, checkCommon, checkFunction, decorate, type CommonSchemeOptions, type ScopedOptions, type VerifyCallback } from './common.js'
import { nonEmptyString } from '../internal/option-schema.js'

interface ApiKeyBase<P> extends CommonSchemeOptions, ScopedOptions<P> {
  /** Where the key travels. */
  in: 'header' | 'query' | 'cookie'
  /** Header, query parameter or cookie name (cookie names are case-sensitive). */
  name: string
}

/** apiKey with a verify callback. */
export interface ApiKeyVerifyOptions<P extends object> extends ApiKeyBase<P> {
  /** Look the key up; return the principal, or `null`/`undefined` to reject. */
  verify: VerifyCallback<string, P>
  keys?: undefined
  store?: undefined
}

/** apiKey with static keys, compared in constant time. */
export interface ApiKeyStaticOptions extends ApiKeyBase<{ id: string }> {
  /** Static keys by id: `{ ci: env.CI_KEY }`. The principal is `{ id }`. Compared in constant time. */
  keys: Readonly<Record<string, string>>
  verify?: undefined
  store?: undefined
}

/**
 * apiKey with keys looked up by hash in a key store (`memoryKeyStore`, `@authspec/redis`,
 * Workers KV): checksum and prefix first, then one store round trip; expired and revoked records
 * are refused, usage limits and failed-auth throttling answer 429, a store fault 503. The
 * principal is the record's `principal`; its granted scopes the record's `scopes` (or `scopes()`).
 */
export interface ApiKeyStoreOptions<P extends object> extends ApiKeyBase<P>, StoredKeyOptions<P> {
  verify?: undefined
  keys?: undefined
}

/** Every option name of {@link apiKey}. */
export const API_KEY_OPTIONS = optionNames<ApiKeyVerifyOptions<object> | ApiKeyStaticOptions | ApiKeyStoreOptions<object>>()(
  ...COMMON_OPTIONS, 'in', 'name', 'verify', 'keys', 'scopes', 'store', 'prefix', 'limit', 'throttle', 'timeout', 'retryAfter', 'pepper', 'onMalformedRecord',
)

const ABSENT: Extracted = Object.freeze({ state: 'absent' })
const AMBIGUOUS_DETAIL = 'the API key is given more than once with different values'

function fromHeader(value: string | null): Extracted {
  if (value === null || value.length === 0) return ABSENT
  if (value.indexOf(',') === -1) return { state: 'present', credential: value }
  // Repeated fields arrive joined by ", ": the same value twice is fine, different values are not.
  const parts = value.split(',')
  const first = parts[0]!.trim()
  for (let i = 1; i < parts.length; i++) {
    if (parts[i]!.trim() !== first) return { state: 'malformed', detail: AMBIGUOUS_DETAIL }
  }
  return first.length === 0 ? ABSENT : { state: 'present', credential: first }
}

type Location = 'header' | 'query' | 'cookie'
type KeyVerifier = (key: string, ctx: AuthContext) => Awaitable<VerifyOutcome<object>>
type ScopesOf = ((p: object) => readonly string[] | undefined) | undefined
type AnyApiKeyOptions = ApiKeyVerifyOptions<object> | ApiKeyStaticOptions | ApiKeyStoreOptions<object>

/** `apiKey({ keys })`: compared against every key in constant time. */
function staticKeysVerifier(options: AnyApiKeyOptions, location: Location): KeyVerifier {
  if (options.verify !== undefined) throw configError('apiKey: give either verify or keys, not both')
  const keys: unknown = options.keys
  // A string here (e.g. `keys: process.env.KEY`) would otherwise become one-character keys.
  if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
    throw configError('apiKey: keys must be an object of keys by id, e.g. { ci: env.CI_KEY }')
  }
  const entries = Object.entries(keys as Record<string, unknown>)
  if (entries.length === 0) throw configError('apiKey: keys is empty')
  for (const [id, key] of entries) {
    if (typeof key !== 'string' || key.length === 0) throw configError(`apiKey: key "${id}" is empty`)
    // Header values are trimmed and repeated fields are split on commas: such a key could never match.
    if (location === 'header' && (key.includes(',') || key.trim() !== key)) {
      throw configError(`apiKey: key "${id}" contains a comma or surrounding whitespace and can never arrive intact in a header`)
    }
  }
  const principals = entries.map(([id]) => Object.freeze({ id }))
  const matchers = entries.map(([, key]) => secretMatcher(key as string))
  const scopes = options.scopes as ScopesOf
  // Without `scopes`, a key's outcome is the same on every request: built once, frozen.
  const granted = scopes === undefined ? principals.map((principal) => Object.freeze({ ok: true as const, principal })) : undefined
  return (key, ctx) => {
    let match = -1
    // Compare against every key, no early exit.
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(key) && match === -1) match = i
    if (match === -1) return INVALID
    return granted !== undefined ? granted[match]! : runVerify('apiKey', () => principals[match], key, ctx, scopes)
  }
}

/** The verifier of one of `store`, `keys` or `verify`. */
function keyVerifier(options: AnyApiKeyOptions, location: Location): KeyVerifier {
  if (options.store !== undefined) {
    if (options.verify !== undefined || options.keys !== undefined) throw configError('apiKey: give one of verify, keys or store')
    return storedKeyVerifier(options as ApiKeyStoreOptions<object>, options.scopes as ScopesOf)
  }
  if (options.keys !== undefined) return staticKeysVerifier(options, location)
  checkFunction('apiKey', 'verify', options.verify, true)
  const userVerify = options.verify
  const scopes = options.scopes as ScopesOf
  return (key, ctx) => runVerify('apiKey', userVerify, key, ctx, scopes)
}

/** The key from a header, a query parameter or a cookie. */
function keyExtractor(location: Location, name: string): (view: RequestView) => Extracted {
  if (location === 'header') return (view) => fromHeader(view.header(name))
  return (view) => {
    const found = location === 'query' ? view.queryParam(name) : view.cookie(name)
    if (found.state === 'absent') return ABSENT
    if (found.state === 'ambiguous') return { state: 'malformed', detail: AMBIGUOUS_DETAIL }
    if (found.state === 'undecodable') return { state: 'malformed', detail: 'the API key is not valid percent-encoding' }
    return found.value.length === 0 ? ABSENT : { state: 'present', credential: found.value }
  }
}

/**
 * An API key in a header, query parameter or cookie (OpenAPI `type: apiKey`).
 *
 * @example apiKey({ in: 'header', name: 'X-API-Key', verify: (key) => db.keys.get(key) })
 */
export function apiKey(options: ApiKeyStaticOptions): Scheme<{ id: string }>
export function apiKey<P extends object>(options: ApiKeyStoreOptions<P>): Scheme<P>
export function apiKey<P extends object>(options: ApiKeyVerifyOptions<P>): Scheme<P>
export function apiKey(options: AnyApiKeyOptions): Scheme<object> {
  checkCommon('apiKey', options, API_KEY_OPTIONS)
  const { in: location, name } = options
  if (location !== 'header' && location !== 'query' && location !== 'cookie') {
    throw configError(`apiKey: in must be "header", "query" or "cookie", got ${JSON.stringify(location)}`)
  }
  nonEmptyString('apiKey: name', name)
  if (location !== 'query' && !isToken(name)) throw configError(`apiKey: ${location} name ${JSON.stringify(name)} is not a valid HTTP token`)
  checkFunction('apiKey', 'scopes', options.scopes, false)
  const verify = keyVerifier(options, location)
  const stored = options.store !== undefined
  return {
    type: 'apiKey',
    realm: options.realm,
    scopeMode: options.scopes === undefined && !stored ? 'none' : 'any',
    varyHeaders: location === 'header' ? [name] : location === 'cookie' ? ['Cookie'] : [],
    extract: keyExtractor(location, name),
    verify: (credential, ctx) => verify(credential as string, ctx),
    challenge: ({ realm, error, scope }) =>
      challenge('APIKey', [
        ['realm', realm],
        ['in', location],
        ['name', name],
        ['error', error],
        ['scope', scope && scope.length > 0 ? scope.join(' ') : undefined],
      ]),
    toOpenAPI: () => decorate({ type: 'apiKey', in: location, name }, options),
    ...(stored ? { remote: true, rateLimited: true } : {}),
  }
}
