import { jwtVerify, type JWTHeaderParameters, type JWTPayload, type JWTVerifyOptions, type JWTVerifyResult } from 'jose'
import { AuthspecError, isAuthspecError } from '../errors.js'
import { NoMatchingKey } from '../internal/jwks-resolver.js'
import { RemoteUnavailable } from '../internal/remote-document.js'
import { scopesFromClaims } from '../internal/scopes-from-claims.js'
import { audienceMismatch } from '../resource-server/audience-binding.js'
import type { Awaitable, VerifyOutcome } from '../types.js'
import type { KeySource } from './jwt-keys.js'
import type { JwtConfig, JwtOutcome, JwtPrincipal } from './jwt-options.js'

function invalid(detail: string): VerifyOutcome<never> {
  return Object.freeze({ ok: false, reason: 'invalid', detail })
}

const TOO_LARGE = invalid('token too large')
const NUMERIC_DATES = ['exp', 'nbf', 'iat'] as const

/** The outcome for a failure of verification; rethrows configuration errors. */
export function failureFor(error: unknown): VerifyOutcome<never> {
  if (isAuthspecError(error)) throw error
  if (error instanceof RemoteUnavailable) {
    return Object.freeze({ ok: false, reason: 'unavailable', detail: 'signing keys unavailable', retryAfter: error.retryAfter })
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
 * The cheap, synchronous part of a verification: the length limit and the verified-token
 * cache. `undefined` means a full verification is needed.
 */
export function precheck<C extends object>(token: string, config: JwtConfig<C>): JwtOutcome<C> | undefined {
  if (token.length > config.maxTokenLength) return TOO_LARGE
  return config.cache?.get(token)
}

async function verifySignature(token: string, keys: KeySource, jose: JWTVerifyOptions): Promise<JWTVerifyResult> {
  const fixed = keys.fixed()
  if (fixed !== undefined) return jwtVerify(token, fixed, jose)
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

async function checkClaims<C extends object>(config: JwtConfig<C>, claims: JWTPayload & C, header: JWTHeaderParameters): Promise<boolean> {
  let accepted: unknown
  try {
    accepted = await config.claims!(claims, header)
  } catch (cause) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `the claims check of ${config.kind} threw`, { cause })
  }
  if (typeof accepted !== 'boolean') {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `the claims check of ${config.kind} must return true or false, got ${typeof accepted}`)
  }
  return accepted
}

function grantedScopes<C extends object>(config: JwtConfig<C>, principal: JwtPrincipal<C>): readonly string[] {
  if (config.scopes === undefined) return Object.freeze(scopesFromClaims(principal.claims, config.scopeClaims))
  let granted: readonly string[] | undefined
  try {
    granted = config.scopes(principal)
  } catch (cause) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${config.kind} threw`, { cause })
  }
  if (granted !== undefined && (!Array.isArray(granted) || granted.some((scope) => typeof scope !== 'string'))) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${config.kind} must return an array of strings`)
  }
  return Object.freeze([...(granted ?? [])])
}

/**
 * Verify a JWT fully (signature, claims, the numeric-date rules, the `claims` callback) and
 * cache a success. Failures are values; configuration and callback bugs throw `AuthspecError`.
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
  if (config.claims !== undefined && !(await checkClaims(config, claims, header))) return invalid('claims rejected')
  const principal: JwtPrincipal<C> = Object.freeze({ token, header: Object.freeze(header), claims: Object.freeze(claims) })
  const outcome: JwtOutcome<C> = Object.freeze({ ok: true, principal, scopes: grantedScopes(config, principal) })
  config.cache?.set(token, outcome, {
    exp: claims.exp,
    nbf: claims.nbf,
    iat: claims.iat,
    tolerance: config.tolerance,
    maxTokenAge: config.maxTokenAge,
  })
  return outcome
}

/** Run {@link precheck}, then {@link verifyJwt} when needed: synchronous on a cache hit. */
export function verifyJwtCached<C extends object>(token: string, config: JwtConfig<C>, keys: KeySource, jose: JWTVerifyOptions): Awaitable<JwtOutcome<C>> {
  return precheck(token, config) ?? verifyJwt(token, config, keys, jose)
}
