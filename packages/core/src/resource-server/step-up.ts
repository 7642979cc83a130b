import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { isThenable } from '../internal/verify-callback.js'
import type { Scheme, SecuritySchemeObject, VerifyOutcome } from '../types.js'
import { seconds } from '../internal/option-schema.js'

/** What a step-up requirement asks of the user's authentication (RFC 9470). */
export interface StepUpPolicy {
  /** Accepted `acr` claim values (authentication context classes), e.g. `["urn:example:mfa"]`. */
  acrValues?: readonly string[]
  /** Longest time since the user authenticated (`auth_time` claim), in seconds. */
  maxAge?: number
  /** Leeway for `auth_time`, in seconds. @default 5 */
  clockTolerance?: number
  /** OpenAPI `description` of the derived scheme. @default the base scheme's */
  description?: string
}

const STEP_UP_OPTIONS = optionNames<StepUpPolicy>()('acrValues', 'maxAge', 'clockTolerance', 'description')

/** A principal with claims: JWT schemes' `{ claims }`, introspection's `{ claims }`. */
interface WithClaims {
  readonly claims: object
}

/**
 * RFC 9470 step-up: a scheme that verifies exactly as `scheme` does (same keys, caches and
 * challenges) and then also requires the token's `acr` to be one of `acrValues` and its
 * `auth_time` to be at most `maxAge` seconds ago. A token that falls short answers 401
 * `error="insufficient_user_authentication"` with `acr_values` / `max_age` in the challenge,
 * so the client can ask the authorization server for a stronger authentication.
 *
 * Register it under its own name and name that in the requirements that need it: the OpenAPI
 * requirement shape stays `{ Name: [scopes] }`, and the document shows the derived scheme
 * (same definition as the base) where step-up applies.
 *
 * @example schemes: { Jwt: jwt, JwtMfa: stepUp(jwt, { acrValues: ['mfa'], maxAge: 300 }) }
 */
export function stepUp<P extends WithClaims>(scheme: Scheme<P>, policy: StepUpPolicy): Scheme<P> {
  if (policy === null || typeof policy !== 'object') throw configError('stepUp: policy object required')
  checkOptions('stepUp', policy, STEP_UP_OPTIONS)
  const { acrValues, maxAge, description } = policy
  const tolerance = policy.clockTolerance ?? 5
  if (acrValues !== undefined && (!Array.isArray(acrValues) || acrValues.length === 0 || acrValues.some((v) => typeof v !== 'string' || v.length === 0 || v.includes(' ')))) {
    throw configError('stepUp: acrValues must be a non-empty array of acr values without spaces')
  }
  for (const [name, value] of [['maxAge', maxAge], ['clockTolerance', tolerance]] as const) {
    if (value !== undefined) seconds(`stepUp: ${name}`, value)
  }
  if (acrValues === undefined && maxAge === undefined) throw configError('stepUp: give acrValues, maxAge or both')
  if (typeof scheme?.verify !== 'function') throw configError('stepUp: the first argument must be a scheme')
  const params: [string, string][] = []
  if (acrValues !== undefined) params.push(['acr_values', acrValues.join(' ')])
  if (maxAge !== undefined) params.push(['max_age', String(maxAge)])
  const hint = Object.freeze({ error: 'insufficient_user_authentication', params: Object.freeze(params) })
  const shortfall = (detail: string): VerifyOutcome<never> => Object.freeze({ ok: false, reason: 'invalid', detail, challenge: hint })

  const check = (outcome: VerifyOutcome<P>): VerifyOutcome<P> => {
    if (!outcome.ok) return outcome
    const claims = outcome.principal.claims as { readonly acr?: unknown; readonly auth_time?: unknown }
    if (acrValues !== undefined && (typeof claims.acr !== 'string' || !acrValues.includes(claims.acr))) return shortfall('authentication context class insufficient')
    if (maxAge !== undefined) {
      const authTime = claims.auth_time
      if (typeof authTime !== 'number' || !Number.isFinite(authTime)) return shortfall('auth_time claim missing')
      if (Date.now() / 1000 - authTime > maxAge + tolerance) return shortfall('authentication too old')
    }
    return outcome
  }

  return {
    ...scheme,
    verify: (credential, ctx) => {
      const pending = scheme.verify(credential, ctx)
      return isThenable(pending) ? Promise.resolve(pending).then(check) : check(pending)
    },
    toOpenAPI: (version): SecuritySchemeObject => {
      const object = scheme.toOpenAPI(version)
      return description === undefined ? object : { ...object, description }
    },
  }
}
