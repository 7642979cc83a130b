import type { OpenAPIV3, OpenAPIV3_1 } from 'openapi-types'
import type { Awaitable, ChallengeHint, Extracted, VerifyOutcome } from './internal/outcome-types.js'
import type { RequestLike, RequestView } from './internal/request-view.js'

// Defined in internal/, which never imports this file; re-exported here, their public home.
export type { Awaitable, ChallengeHint, Extracted, RequestLike, VerifyOutcome }

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
