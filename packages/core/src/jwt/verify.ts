import { jwtVerify, type JWTHeaderParameters, type JWTPayload, type JWTVerifyOptions, type JWTVerifyResult } from 'jose'
import { AuthspecError, isAuthspecError } from '../errors.js'
import { NoMatchingKey } from '../internal/jwks-resolver.js'
import { RemoteUnavailable } from '../internal/remote-document.js'
import { scopesFromClaims } from '../internal/scopes-from-claims.js'
import { isThenable } from '../internal/verify-callback.js'
import { audienceMismatch } from './audience-binding.js'
import type { Awaitable, VerifyOutcome } from '../types.js'
import type { KeySource } from './keys.js'
import type { JwtConfig, JwtOutcome, JwtPrincipal } from './options.js'

function invalid(detail: string): VerifyOutcome<never> {
  return Object.freeze({ ok: false, reason: 'invalid', detail })
}

const TOO_LARGE = invalid('token too large')
const NUMERIC_DATES = ['exp', 'nbf', 'iat'] as const

/** The outcome for a failure of verification; rethrows configuration errors. */
export function failureFor(error: unknown): VerifyOutcome<never> {
  if (isAuthspecError(error)) throw error
  if (error instanceof RemoteUnavailable) {
    const detail = error.reason === undefined ? 'signing keys unavailable' : `signing keys unavailable: ${error.reason}`
    return Object.freeze({ ok: false, reason: 'unavailable', detail, retryAfter: error.retryAfter })
  }
  if (error instanceof NoMatchingKey) return invalid('no matching key')
  const { code, claim, reason } = (error ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown }
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return invalid(claim === 'iat' ? 'token too old' : 'token expired')
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return invalid(`${String(claim)} claim missing`)
      if (claim === 'nbf' && reason === 'check_failed') return invalid('token not yet valid')
      if (claim === 'typ') return invalid('unexpected typ')
      return invalid(`${String(claim)} claim invalid`)
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return invalid('algorithm not allowed')
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return invalid('signature invalid')
    case 'ERR_JOSE_NOT_SUPPORTED':
      return invalid('unsupported token')
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return invalid('token malformed')
    default:
      return invalid('token rejected')
  }
}

/**
 * The cheap part of a verification: the length limit and the verified-token cache. A hit still
 * runs the revocation hooks (the `claims` callback and a `scopes` function), synchronously when
 * they are. `undefined` means a full verification is needed.
 */
export function precheck<C extends object>(token: string, config: JwtConfig<C>): Awaitable<JwtOutcome<C>> | undefined {
  if (token.length > config.maxTokenLength) return TOO_LARGE
  const cached = config.cache?.get(token)
  if (cached === undefined || (config.claims === undefined && config.scopes === undefined)) return cached
  return accept(config, cached as VerifiedOutcome<C>)
}

/**
 * Not `async`: with a fixed key the promise is jose's own (no extra async frame per cold
 * verification); a throw here lands in the caller's `try` all the same.
 */
function verifySignature(token: string, keys: KeySource, jose: JWTVerifyOptions): Promise<JWTVerifyResult> {
  const fixed = keys.fixed()
  if (fixed !== undefined) return jwtVerify(token, fixed, jose)
  return verifyWithLookup(token, keys, jose)
}

/** Key lookup by header (JWKS, several keys), then the other fitting keys of a kid-less token. */
async function verifyWithLookup(token: string, keys: KeySource, jose: JWTVerifyOptions): Promise<JWTVerifyResult> {
  let rest: CryptoKey[] | undefined
  const getKey = async (header: JWTHeaderParameters): Promise<CryptoKey> => {
    const found = await keys.lookup(header)
    if (!Array.isArray(found)) return found
    rest = found.slice(1)
    return found[0]!
  }
  try {
    return await jwtVerify(token, getKey, jose)
  } catch (error) {
    // A token without `kid` and several fitting keys: try the others, in order.
    if (rest === undefined || (error as { code?: unknown }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw error
    for (const key of rest) {
      try {
        return await jwtVerify(token, key, jose)
      } catch (next) {
        if ((next as { code?: unknown }).code !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw next
      }
    }
    throw error
  }
}

/** A success whose signature and claims were checked (what the cache holds). */
type VerifiedOutcome<C extends object> = Extract<JwtOutcome<C>, { ok: true }>

const CLAIMS_REJECTED = invalid('claims rejected')

function claimsThrew(kind: string, cause: unknown): AuthspecError {
  return new AuthspecError('ERR_AUTHSPEC_VERIFY', `the claims check of ${kind} threw`, { cause })
}

/** The `claims` callback's answer must be `true` or `false`; anything else is a bug. */
function claimsAnswer(kind: string, accepted: unknown): boolean {
  if (typeof accepted === 'boolean') return accepted
  throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `the claims check of ${kind} must return true or false, got ${typeof accepted}`)
}

/** The outcome once the `claims` callback said `accepted`: a `scopes` function runs now. */
function finish<C extends object>(config: JwtConfig<C>, verified: VerifiedOutcome<C>, accepted: boolean): JwtOutcome<C> {
  if (!accepted) return CLAIMS_REJECTED
  const scopes = config.scopes
  if (scopes === undefined) return verified
  return Object.freeze({ ok: true, principal: verified.principal, scopes: grantedScopes(config.kind, scopes, verified.principal) })
}

/**
 * The revocation hooks, on every request (cold or cached): the `claims` callback may refuse the
 * token, and a `scopes` function recomputes the granted scopes. Synchronous when they are.
 */
function accept<C extends object>(config: JwtConfig<C>, verified: VerifiedOutcome<C>): Awaitable<JwtOutcome<C>> {
  const claims = config.claims
  if (claims === undefined) return finish(config, verified, true)
  let accepted: unknown
  try {
    accepted = claims(verified.principal.claims, verified.principal.header)
  } catch (cause) {
    throw claimsThrew(config.kind, cause)
  }
  if (accepted === true) return finish(config, verified, true)
  if (!isThenable(accepted)) return finish(config, verified, claimsAnswer(config.kind, accepted))
  return Promise.resolve(accepted).then(
    (value) => finish(config, verified, claimsAnswer(config.kind, value)),
    (cause: unknown) => {
      throw claimsThrew(config.kind, cause)
    },
  )
}

/** The granted scopes from the user's `scopes` function. */
function grantedScopes<C extends object>(kind: string, scopes: (principal: JwtPrincipal<C>) => readonly string[] | undefined, principal: JwtPrincipal<C>): readonly string[] {
  let granted: readonly string[] | undefined
  try {
    granted = scopes(principal)
  } catch (cause) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${kind} threw`, { cause })
  }
  if (granted !== undefined && (!Array.isArray(granted) || granted.some((scope) => typeof scope !== 'string'))) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${kind} must return an array of strings`)
  }
  return Object.freeze([...(granted ?? [])])
}

/**
 * Verify a JWT fully (signature, claims, the numeric-date rules), cache the verified token, then
 * run the `claims` callback and `scopes` function. Failures are values; configuration and
 * callback bugs throw `AuthspecError`.
 */
export async function verifyJwt<C extends object>(
  token: string,
  config: JwtConfig<C>,
  keys: KeySource,
  jose: JWTVerifyOptions,
): Promise<JwtOutcome<C>> {
  let result: JWTVerifyResult
  try {
    result = await verifySignature(token, keys, jose)
  } catch (error) {
    return failureFor(error)
  }
  const claims = result.payload as JWTPayload & C
  // jose checks that exp/nbf/iat are numbers; they must also be finite and not negative.
  for (const name of NUMERIC_DATES) {
    const value = claims[name]
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) return invalid(`${name} claim invalid`)
  }
  const audience = audienceMismatch(config.kind, config.audienceBinding, claims.aud)
  if (audience !== undefined) return invalid(audience)
  const header = result.protectedHeader
  const principal: JwtPrincipal<C> = Object.freeze({ token, header: Object.freeze(header), claims: Object.freeze(claims) })
  // What the cache saves: the signature and claim checks. The hooks run on every use, below.
  const scopes = config.scopes === undefined ? Object.freeze(scopesFromClaims(principal.claims, config.scopeClaims)) : Object.freeze([] as string[])
  const outcome: VerifiedOutcome<C> = Object.freeze({ ok: true, principal, scopes })
  config.cache?.set(token, outcome, {
    exp: claims.exp,
    nbf: claims.nbf,
    iat: claims.iat,
    tolerance: config.tolerance,
    maxTokenAge: config.maxTokenAge,
  })
  return accept(config, outcome)
}

/** Run {@link precheck}, then {@link verifyJwt} when needed: synchronous on a cache hit. */
export function verifyJwtCached<C extends object>(token: string, config: JwtConfig<C>, keys: KeySource, jose: JWTVerifyOptions): Awaitable<JwtOutcome<C>> {
  return precheck(token, config) ?? verifyJwt(token, config, keys, jose)
}
