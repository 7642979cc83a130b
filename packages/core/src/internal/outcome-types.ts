/**
 * The types a scheme's two phases produce, shared by types.ts (the scheme contract) and the
 * internal helpers below it. Public through types.ts, which re-exports them.
 */

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>

/** Result of looking for a scheme's credential in a request (phase 1, synchronous, never throws). */
export type Extracted =
  | { readonly state: 'absent' }
  | { readonly state: 'malformed'; readonly detail: string }
  | { readonly state: 'present'; readonly credential: unknown }

/** Outcome of verifying a present credential (phase 2). */
export type VerifyOutcome<P> =
  | {
      readonly ok: true
      readonly principal: P
      /** Scopes granted by the credential; `undefined` when the scheme has no notion of scopes. */
      readonly scopes?: readonly string[] | undefined
    }
  | {
      readonly ok: false
      /**
       * `invalid`: the credential was rejected (401). `unavailable`: infrastructure down (503).
       * `rate_limited`: a usage limit or failed-auth throttle (429, never 401).
       */
      readonly reason: 'invalid' | 'unavailable' | 'rate_limited'
      /** A terse, safe description (never key material, never user existence). */
      readonly detail?: string
      /** Seconds, for `unavailable` and `rate_limited`. */
      readonly retryAfter?: number
      /** Extra response headers (`RateLimit`, `RateLimit-Policy`), for `rate_limited`. */
      readonly headers?: Readonly<Record<string, string>>
      /** What the challenge of this failure should say beyond the defaults (step-up, DPoP). */
      readonly challenge?: ChallengeHint
    }

/**
 * Extra challenge content a failed verification asks for: an RFC error code other than the
 * default (`insufficient_user_authentication`, `invalid_dpop_proof`, `use_dpop_nonce`), the
 * challenge it belongs to (`DPoP` or `Bearer` when a scheme sends both) and extra auth-params
 * (`acr_values`, `max_age`).
 */
export interface ChallengeHint {
  readonly error?: string
  readonly scheme?: 'Bearer' | 'DPoP'
  readonly params?: ReadonlyArray<readonly [string, string]>
  /** Response headers the failure adds (e.g. `DPoP-Nonce`). */
  readonly headers?: Readonly<Record<string, string>>
}
