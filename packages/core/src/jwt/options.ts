import type { JWK, JWTHeaderParameters, JWTPayload, JWTVerifyOptions } from 'jose'
import { configError } from '../errors.js'
import { func, httpUrl, integerAtLeast, nonEmptyString, positiveInteger, seconds } from '../internal/option-schema.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { fits } from '../internal/jwks-resolver.js'
import { resolveRemoteOptions, type RemoteKeyOptions, type ResolvedRemoteOptions } from '../internal/remote-document.js'
import { TokenCache } from '../internal/token-cache.js'
import { audienceBinding, type AudienceBinding } from './audience-binding.js'
import type { Awaitable, VerifyOutcome } from '../types.js'

/** JWS algorithms authspec verifies. `none` is never accepted. */
export type JwtAlgorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512'
  | 'EdDSA' | 'Ed25519'

const HMAC_BYTES: Record<string, number> = { HS256: 32, HS384: 48, HS512: 64 }
const ALGORITHMS = new Set<string>(['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'])

/** The principal of a JWT scheme. `C` types the claims. */
export interface JwtPrincipal<C extends object = JWTPayload> {
  /** The compact token as received. */
  readonly token: string
  /** The verified protected header. */
  readonly header: JWTHeaderParameters
  /** The verified claims. */
  readonly claims: JWTPayload & C
}

/** Verified-token cache settings. */
export interface JwtCacheOptions {
  /** Most tokens kept. @default 1000 */
  max?: number
  /** Longest an entry lives, in seconds (never past the token's `exp`). @default 60 */
  maxTtl?: number
}

/** How a JWT is verified: shared by `jwtBearer`, `oauth2({ token })` and `openIdConnect`. */
export interface JwtVerifyOptions<C extends object = JWTPayload> {
  /** Accepted `alg` values, chosen by the server (required, non-empty; `none` is never accepted). */
  algorithms: readonly JwtAlgorithm[]
  /** HMAC secret (HS*): at least as many bytes as the hash (HS256: 32, HS384: 48, HS512: 64). */
  secret?: string | Uint8Array
  /** A public key: SPKI PEM (`-----BEGIN PUBLIC KEY-----`), X.509 PEM, a public JWK or a `CryptoKey`. */
  publicKey?: string | JWK | CryptoKey
  /** URL of a JSON Web Key Set (asymmetric algorithms only). */
  jwksUri?: string
  /** Fetching and caching of remote keys (and discovery documents). */
  remoteKeys?: RemoteKeyOptions
  /** Expected `iss` (one of, when an array). Required: pass `false` to skip the check. */
  issuer: string | readonly string[] | false
  /**
   * Expected `aud` (the token must name one of them). Required, unless the auth has a `resource`
   * (RFC 8707: then the audience defaults to it, compared in canonical-URI form); pass `false`
   * to skip the check.
   */
  audience?: string | readonly string[] | false
  /** Leeway for `exp`, `nbf` and `iat`, in seconds (finite, 0–300). @default 5 */
  clockTolerance?: number
  /** Reject tokens whose `iat` is older than this, in seconds (requires `iat`). */
  maxTokenAge?: number
  /** Claims that must be present (`exp` is required anyway unless `requireExp: false`). */
  requiredClaims?: readonly string[]
  /**
   * Refuse (401 `exp claim missing`) a token without `exp`. `false` accepts tokens that never
   * expire (their `exp` is still checked when present); `maxTokenAge` or a `claims` check
   * should then bound them. @default true
   */
  requireExp?: boolean
  /** Required `typ` header (e.g. `"at+jwt"`, RFC 9068); any `typ` is accepted when omitted. */
  typ?: string
  /** A last check of the verified claims: `true` accepts, `false` rejects (401). May be async. */
  claims?: (claims: JWTPayload & C, header: JWTHeaderParameters) => Awaitable<boolean>
  /** Claims the granted scopes are read from, merged. @default ["scope", "scp", "permissions"] */
  scopeClaim?: string | readonly string[]
  /** Compute the granted scopes yourself (replaces `scopeClaim`). */
  scopes?: (principal: JwtPrincipal<C>) => readonly string[] | undefined
  /** Cache of verified tokens (skips repeated signature checks), or `false`. @default { max: 1000, maxTtl: 60 } */
  cache?: JwtCacheOptions | false
  /** Longer tokens are rejected (401) before any decoding, in characters. @default 8192 */
  maxTokenLength?: number
}

/** Every option name of {@link JwtVerifyOptions}. */
export const JWT_OPTIONS = optionNames<JwtVerifyOptions<object>>()(
  'algorithms', 'secret', 'publicKey', 'jwksUri', 'remoteKeys', 'issuer', 'audience', 'clockTolerance', 'maxTokenAge',
  'requiredClaims', 'requireExp', 'typ', 'claims', 'scopeClaim', 'scopes', 'cache', 'maxTokenLength',
)

const CACHE_OPTIONS = optionNames<JwtCacheOptions>()('max', 'maxTtl')

/** Where the keys come from, checked. */
export type KeyConfig =
  | { readonly kind: 'secret'; readonly secret: Uint8Array }
  | { readonly kind: 'publicKey'; readonly publicKey: string | JWK | CryptoKey }
  | { readonly kind: 'jwks'; readonly jwksUri: string }
  | { readonly kind: 'discovery' }

/** The outcome a JWT scheme produces. */
export type JwtOutcome<C extends object> = VerifyOutcome<JwtPrincipal<C>>

/** Validated JWT options, ready for verification. */
export interface JwtConfig<C extends object> {
  readonly kind: string
  readonly algorithms: readonly string[]
  readonly keys: KeyConfig
  readonly remote: ResolvedRemoteOptions
  /** Options for `jose.jwtVerify` (issuer filled in later for discovery). */
  readonly jose: JWTVerifyOptions
  readonly tolerance: number
  readonly maxTokenAge: number | undefined
  readonly maxTokenLength: number
  readonly claims: JwtVerifyOptions<C>['claims']
  readonly scopeClaims: readonly string[]
  readonly scopes: JwtVerifyOptions<C>['scopes']
  readonly cache: TokenCache<JwtOutcome<C>> | undefined
  /** The audience `createAuth({ resource })` supplies when `audience` was omitted. */
  readonly audienceBinding: AudienceBinding
}

const SUBTLE_FAMILY: Record<string, string> = { 'RSASSA-PKCS1-v1_5': 'RS', 'RSA-PSS': 'PS', ECDSA: 'ES' }
const EC_CURVES: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }

/** True when a Web Crypto public key can verify `alg` (family, hash and curve). */
function cryptoKeyFits(key: CryptoKey, alg: string): boolean {
  const algorithm = key.algorithm as KeyAlgorithm & { hash?: { name: string }; namedCurve?: string }
  if (algorithm.name === 'Ed25519') return alg === 'Ed25519' || alg === 'EdDSA'
  const family = SUBTLE_FAMILY[algorithm.name]
  if (family === undefined || !alg.startsWith(family)) return false
  if (family === 'ES') return EC_CURVES[alg] === algorithm.namedCurve
  return algorithm.hash?.name === `SHA-${alg.slice(2)}`
}

function isStringList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && item.length > 0)
}

function checkPem(kind: string, pem: string): void {
  if (pem.charCodeAt(0) === 0xfeff) {
    throw configError(`${kind}: publicKey PEM starts with a byte-order mark; remove it (authspec does not guess where a key starts)`)
  }
  const text = pem.replace(/^[ \t\r\n]+/, '')
  if (!text.startsWith('-----BEGIN ')) {
    throw configError(`${kind}: publicKey must be a PEM starting with "-----BEGIN PUBLIC KEY-----" or "-----BEGIN CERTIFICATE-----" (found leading text), a JWK or a CryptoKey`)
  }
  if (text.startsWith('-----BEGIN PUBLIC KEY-----') || text.startsWith('-----BEGIN CERTIFICATE-----')) return
  if (/^-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) throw configError(`${kind}: publicKey is a private key; give the public key`)
  throw configError(`${kind}: publicKey PEM must be SPKI ("-----BEGIN PUBLIC KEY-----") or X.509 ("-----BEGIN CERTIFICATE-----")`)
}

function checkKeys(kind: string, options: JwtVerifyOptions<object>, algorithms: readonly string[], discovery: boolean): KeyConfig {
  const given = (['secret', 'publicKey', 'jwksUri'] as const).filter((name) => options[name] !== undefined)
  const hmac = algorithms.filter((alg) => alg.startsWith('HS'))
  if (discovery) {
    if (given.length > 0) throw configError(`${kind}: keys come from the discovery document's jwks_uri; remove ${given.join(', ')}`)
    if (hmac.length > 0) throw configError(`${kind}: HMAC algorithms (${hmac.join(', ')}) cannot be verified with a JWKS`)
    return { kind: 'discovery' }
  }
  if (given.length !== 1) throw configError(`${kind}: give exactly one of secret, publicKey or jwksUri`)
  if (options.secret !== undefined) {
    const secret = options.secret
    if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) throw configError(`${kind}: secret must be a string or a Uint8Array`)
    if (hmac.length !== algorithms.length) {
      throw configError(`${kind}: a secret verifies HMAC (HS*) algorithms only; remove ${algorithms.filter((a) => !a.startsWith('HS')).join(', ')}`)
    }
    if (typeof secret === 'string' && secret.trimStart().startsWith('-----BEGIN')) {
      throw configError(`${kind}: secret looks like a PEM key; use publicKey with an asymmetric algorithm`)
    }
    const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret)
    const need = Math.max(...hmac.map((alg) => HMAC_BYTES[alg]!))
    if (bytes.length === 0) throw configError(`${kind}: secret is empty`)
    if (bytes.length < need) throw configError(`${kind}: secret is ${bytes.length} bytes; ${hmac.join(', ')} need at least ${need} (the hash size)`)
    return { kind: 'secret', secret: bytes }
  }
  if (hmac.length > 0) throw configError(`${kind}: HMAC algorithms (${hmac.join(', ')}) need a secret, not ${given[0]}`)
  if (options.publicKey !== undefined) {
    const key = options.publicKey
    if (typeof key === 'string') checkPem(kind, key)
    else if (typeof CryptoKey !== 'undefined' && key instanceof CryptoKey) {
      if (key.type !== 'public') throw configError(`${kind}: publicKey must be a public CryptoKey`)
      const unfit = algorithms.filter((alg) => !cryptoKeyFits(key, alg))
      if (unfit.length > 0) throw configError(`${kind}: the ${key.algorithm.name} publicKey cannot verify ${unfit.join(', ')}`)
    } else if (key === null || typeof key !== 'object' || typeof (key as JWK).kty !== 'string') {
      throw configError(`${kind}: publicKey must be a PEM string, a JWK or a CryptoKey`)
    } else {
      const jwk = key as JWK
      if (jwk.d !== undefined || jwk.kty === 'oct') throw configError(`${kind}: publicKey JWK must be a public key (no "d", not "oct")`)
      const unfit = algorithms.filter((alg) => !fits(jwk, alg) || (jwk.alg !== undefined && jwk.alg !== alg))
      if (unfit.length > 0) throw configError(`${kind}: the ${jwk.kty}${jwk.alg === undefined ? '' : ` ${jwk.alg}`} publicKey JWK cannot verify ${unfit.join(', ')}`)
    }
    return { kind: 'publicKey', publicKey: key }
  }
  return { kind: 'jwks', jwksUri: httpUrl(`${kind}: jwksUri`, options.jwksUri) }
}

function checkClaimList(kind: string, name: string, value: string | readonly string[] | false | undefined, required: boolean): string | string[] | undefined {
  if (value === false) return undefined
  if (value === undefined) {
    if (!required) return undefined
    throw configError(`${kind}: ${name} is required (pass ${name}: false to accept any)`)
  }
  if (typeof value === 'string' && value.length > 0) return value
  if (isStringList(value)) return [...value]
  throw configError(`${kind}: ${name} must be a non-empty string, a non-empty array of strings, or false`)
}

function checkSeconds(kind: string, name: string, value: unknown, max = Infinity): number | undefined {
  return value === undefined ? undefined : seconds(`${kind}: ${name}`, value, { max }, `a finite number of seconds between 0 and ${max}`)
}

/** The checked `requiredClaims`, `typ`, `claims`, `scopes` and `scopeClaim` options; returns the scope claim names. */
function checkClaimOptions(kind: string, options: JwtVerifyOptions<object>): readonly string[] {
  const required = options.requiredClaims as unknown
  if (required !== undefined && !(Array.isArray(required) && (required.length === 0 || isStringList(required)))) {
    throw configError(`${kind}: requiredClaims must be an array of claim names`)
  }
  if (options.typ !== undefined) nonEmptyString(`${kind}: typ`, options.typ)
  for (const name of ['claims', 'scopes'] as const) if (options[name] !== undefined) func(`${kind}: ${name}`, options[name])
  const scopeClaim = options.scopeClaim ?? ['scope', 'scp', 'permissions']
  const scopeClaims = typeof scopeClaim === 'string' ? [scopeClaim] : scopeClaim
  if (!isStringList(scopeClaims)) throw configError(`${kind}: scopeClaim must be a claim name or an array of them`)
  return scopeClaims
}

function resolveCache<C extends object>(kind: string, option: JwtVerifyOptions<C>['cache']): TokenCache<JwtOutcome<C>> | undefined {
  if (option === false) return undefined
  if (option !== undefined && (option === null || typeof option !== 'object')) throw configError(`${kind}: cache must be an object or false`)
  if (option !== undefined) checkOptions(`${kind}: cache`, option, CACHE_OPTIONS)
  const { max = 1000, maxTtl = 60 } = option ?? {}
  return new TokenCache(positiveInteger(`${kind}: cache.max`, max), checkSeconds(kind, 'cache.maxTtl', maxTtl) ?? 60)
}

/**
 * Check JWT options (throws `ERR_AUTHSPEC_CONFIG`). With `discovery`, keys and issuer come
 * from an OpenID discovery document: `issuer` is optional there.
 */
export function resolveJwtOptions<C extends object>(kind: string, options: JwtVerifyOptions<C>, discovery = false): JwtConfig<C> {
  if (options === null || typeof options !== 'object') throw configError(`${kind}: options object required`)
  const algorithms = options.algorithms as unknown
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw configError(`${kind}: algorithms is required (e.g. ["RS256"])`)
  for (const alg of algorithms) {
    if (typeof alg !== 'string' || !ALGORITHMS.has(alg)) throw configError(`${kind}: unsupported algorithm ${JSON.stringify(alg)}`)
  }
  const keys = checkKeys(kind, options as JwtVerifyOptions<object>, algorithms as string[], discovery)
  const issuer = discovery ? undefined : checkClaimList(kind, 'issuer', options.issuer, true)
  // Omitted: `createAuth({ resource })` supplies it (RFC 8707), or refuses the scheme.
  const audience = checkClaimList(kind, 'audience', options.audience, false)
  const tolerance = checkSeconds(kind, 'clockTolerance', options.clockTolerance, 300) ?? 5
  const maxTokenAge = checkSeconds(kind, 'maxTokenAge', options.maxTokenAge)
  const scopeClaims = checkClaimOptions(kind, options as JwtVerifyOptions<object>)
  const maxTokenLength = integerAtLeast(`${kind}: maxTokenLength`, options.maxTokenLength ?? 8192, 16)
  const cache = resolveCache<C>(kind, options.cache)
  const remote = resolveRemoteOptions(options.remoteKeys)
  if (typeof remote === 'string') throw configError(`${kind}: ${remote}`)
  const jose: JWTVerifyOptions = { algorithms: [...algorithms] as string[], clockTolerance: tolerance }
  if (issuer !== undefined) jose.issuer = issuer
  if (audience !== undefined) jose.audience = audience
  if (maxTokenAge !== undefined) jose.maxTokenAge = maxTokenAge
  const requireExp = options.requireExp ?? true
  if (typeof requireExp !== 'boolean') throw configError(`${kind}: requireExp must be true or false`)
  const requiredClaims = new Set([...(options.requiredClaims ?? []), ...(requireExp ? ['exp'] : [])])
  if (requiredClaims.size > 0) jose.requiredClaims = [...requiredClaims]
  if (options.typ !== undefined) jose.typ = options.typ
  return {
    kind,
    algorithms: jose.algorithms!,
    keys,
    remote,
    jose,
    tolerance,
    maxTokenAge,
    maxTokenLength,
    claims: options.claims,
    scopeClaims: [...scopeClaims],
    scopes: options.scopes,
    cache,
    audienceBinding: audienceBinding(options.audience !== undefined),
  }
}
