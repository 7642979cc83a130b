import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types'
import type { RequestView } from './internal/request-view.js'

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>

/**
 * The part of a request authspec reads. A standard `Request` always fits; adapters may pass a
 * lighter object. The body is never read.
 */
export interface RequestLike {
  readonly method: string
  /** Absolute URL, or an origin-relative path with its query (`/pets?x=1`). */
  readonly url: string
  readonly headers: { get(name: string): string | null }
}

/** Passed to every `verify` callback. */
export interface AuthContext<Env = unknown> {
  /** The request being authenticated. */
  readonly request: RequestLike
  /** Adapter-provided environment (e.g. Workers bindings), `undefined` when none. */
  readonly env: Env
  /**
   * The scopes the requirement asks of this scheme, in the alternative that first needed this
   * scheme's verification (a scheme is verified at most once per request).
   */
  readonly scopes: readonly string[]
  /**
   * The client's address as the adapter knows it (Hono: the connection's remote address;
   * Express: `req.ip`, which honours `trust proxy`), for failed-auth throttling. `undefined`
   * when unknown.
   */
  readonly client?: string | undefined
}

/** OpenAPI versions authspec emits. */
export type OpenAPIVersion = '3.0' | '3.1' | '3.2'

/** One OpenAPI Security Scheme Object, as emitted (3.0 and 3.1 shapes). */
export type SecuritySchemeObject = (OpenAPIV3.SecuritySchemeObject | OpenAPIV3_1.SecuritySchemeObject) & {
  [extension: `x-${string}`]: unknown
}

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

/** What the evaluator tells a scheme when it asks for its challenge. */
export interface ChallengeParams {
  /** The realm to use (scheme option, else the auth's realm). */
  readonly realm: string
  /** RFC 6750 error code, only for the scheme whose credential decided the failure. */
  readonly error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  /** Scopes the requirement asks of this scheme (space-joined in the challenge), on 403. */
  readonly scope?: readonly string[]
  /** RFC 9728 `resource_metadata` URL, for Bearer and DPoP challenges (set with `createAuth({ resource })`). */
  readonly resourceMetadata?: string
  /** What the failed verification asked the challenge to say (see {@link ChallengeHint}). */
  readonly hint?: ChallengeHint
}

/** Declares a phantom principal type on a scheme. */
declare const principalBrand: unique symbol

/**
 * A security scheme: one entry of `components.securitySchemes` that also knows how to find and
 * verify its credential. Created by the scheme factories (`apiKey`, `httpBasic`, …).
 */
export interface Scheme<P extends object = object> {
  /** OpenAPI `type`. */
  readonly type: 'apiKey' | 'http' | 'oauth2' | 'openIdConnect' | 'mutualTLS'
  /** `realm` for challenges; falls back to the auth's realm. */
  readonly realm?: string | undefined
  /**
   * Scopes a requirement may ask of this scheme: a set (oauth2: the flows' scopes), `'any'`
   * (the scheme reports granted scopes and any name may be asked), or `'none'` (asking scopes
   * of this scheme is a config error).
   */
  readonly scopeMode: ReadonlySet<string> | 'any' | 'none'
  /** Request header names this scheme reads (for `Vary`). */
  readonly varyHeaders: readonly string[]
  /**
   * The `Authorization` auth-scheme (e.g. `"Basic"`, `"Bearer"`) when that header is the only
   * place this scheme's credential can travel. Two schemes with different ones ANDed in an
   * alternative can never pass, which is a config error.
   */
  readonly authScheme?: string | undefined
  /** Phase 1: find the credential. Synchronous, never throws. */
  extract(request: RequestView): Extracted
  /**
   * Phase 2: verify a credential `extract` returned. Expected failures are values; a thrown
   * `AuthspecError` (`ERR_AUTHSPEC_VERIFY`) is a bug in user code and never a grant.
   */
  verify(credential: unknown, ctx: AuthContext): Awaitable<VerifyOutcome<P>>
  /** One `WWW-Authenticate` challenge, e.g. `Bearer realm="api", error="invalid_token"`. */
  challenge(params: ChallengeParams): string
  /** The OpenAPI Security Scheme Object. */
  toOpenAPI(version: OpenAPIVersion): SecuritySchemeObject
  /** Prefetch remote material (JWKS, discovery), or import static keys now. */
  warmup?(): Promise<void>
  /**
   * `true` when verification depends on remote material (JWKS, discovery) and so may answer 503
   * (`reason: 'unavailable'`); OpenAPI output then documents a 503. A custom scheme that can
   * report `unavailable` should set it.
   */
  readonly remote?: boolean
  /** OAuth 2.0 resource server (RFC 9728): the issuers of this scheme's tokens, for `authorization_servers`. */
  readonly authorizationServers?: readonly string[]
  /** RFC 9728 `bearer_methods_supported` of this scheme (`header`, `query`); bearer-token schemes only. */
  readonly bearerMethods?: readonly string[]
  /**
   * RFC 9449: the DPoP proof algorithms this scheme accepts, whether it requires DPoP, and the
   * public origin proofs' `htu` must name (`dpop.origin`, else the auth's `resource` origin;
   * `undefined`: the request URL's).
   */
  readonly dpop?: { readonly algorithms: readonly string[]; readonly required: boolean; readonly origin?: string | undefined }
  /**
   * Called by `createAuth({ resource })` with the canonical resource URI: a JWT scheme without
   * an explicit `audience` takes it as its audience (RFC 8707). Throws `ERR_AUTHSPEC_CONFIG`
   * when the scheme cannot be used with that resource.
   */
  bindResource?(resource: string | undefined): void
  /** `true` when verification may answer 429 (usage limits, failed-auth throttling); OpenAPI output then documents a 429. */
  readonly rateLimited?: boolean
  /** Phantom: the principal type `verify` produces. Never set at run time. */
  readonly [principalBrand]?: P
}

/** Any scheme. */

export type AnyScheme = Scheme<object>

/** The principal type of a scheme. */
export type PrincipalOf<S> = S extends Scheme<infer P> ? P : never

/** Named schemes, as given to `createAuth`. */
export type SchemeMap = Record<string, AnyScheme>

/** One requirement object: scheme names ANDed, each with the scopes it needs. */
export type RequirementObject<S extends SchemeMap = SchemeMap> = {
  readonly [K in keyof S & string]?: readonly string[]
}

/** A security requirement: OR of AND-groups, as OpenAPI's `security`. `[]` is public. */
export type Requirement<S extends SchemeMap = SchemeMap> = readonly RequirementObject<S>[]
