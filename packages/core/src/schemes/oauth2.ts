import type { JWTPayload } from 'jose'
import { configError } from '../errors.js'
import { extractBearer } from '../internal/bearer-token.js'
import type { RequestView } from '../internal/request-view.js'
import { scopesFromClaims } from '../internal/scopes-from-claims.js'
import { runVerify } from '../internal/verify-callback.js'
import type { OpenAPIVersion, Scheme } from '../types.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import { bindAudience } from '../jwt/audience-binding.js'
import { bearerMethods, issuersOf } from '../resource-server/resource-uri.js'
import type { IntrospectionOptions, IntrospectionPrincipal } from '../resource-server/introspection.js'
import { introspectionVerifier } from '../resource-server/introspection-scheme.js'
import { COMMON_OPTIONS, checkCommon, checkFunction, decorate, type CommonSchemeOptions, type VerifyCallback } from './common.js'
import { bearerChallenge } from './http-bearer.js'
import { keySourceFor } from './jwt-bearer.js'
import { warmupOrThrow } from '../jwt/keys.js'
import { JWT_OPTIONS, resolveJwtOptions, type JwtPrincipal, type JwtVerifyOptions } from '../jwt/options.js'
import { verifyJwtCached } from '../jwt/verify.js'

/** Scopes of a flow: name → description. */
export type OAuth2Scopes = Record<string, string>

/** OpenAPI OAuth Flows Object (3.2 adds `deviceAuthorization`). URLs may be relative. */
export interface OAuth2Flows {
  implicit?: { authorizationUrl: string; refreshUrl?: string; scopes: OAuth2Scopes }
  password?: { tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes }
  clientCredentials?: { tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes }
  authorizationCode?: { authorizationUrl: string; tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes }
  /** OpenAPI 3.2 only: omitted from 3.0 and 3.1 output. */
  deviceAuthorization?: { deviceAuthorizationUrl: string; tokenUrl: string; refreshUrl?: string; scopes: OAuth2Scopes }
  /** Specification extensions, emitted unchanged. */
  [extension: `x-${string}`]: unknown
}

const FLOW_URLS: Record<keyof OAuth2Flows, readonly string[]> = {
  implicit: ['authorizationUrl'],
  password: ['tokenUrl'],
  clientCredentials: ['tokenUrl'],
  authorizationCode: ['authorizationUrl', 'tokenUrl'],
  deviceAuthorization: ['deviceAuthorizationUrl', 'tokenUrl'],
}

interface OAuth2Base extends CommonSchemeOptions {
  /** The flows, emitted to OpenAPI unchanged; their scopes are the ones requirements may ask. */
  flows: OAuth2Flows
  /** Also accept the token in the `access_token` query parameter. @default false */
  allowQuery?: boolean
  /**
   * RFC 9449 DPoP: `allowed` also accepts `Authorization: DPoP <token>` with a `DPoP` proof
   * header; `required` accepts only that. Without it, DPoP-bound tokens (`cnf.jkt`) sent as
   * Bearer are refused all the same.
   */
  dpop?: DpopOption
}

/** oauth2 with JWT access tokens (RFC 9068), verified like `jwtBearer`. */
export interface OAuth2JwtOptions<C extends object = JWTPayload> extends OAuth2Base {
  token: JwtVerifyOptions<C>
  verify?: never
  introspection?: never
}

/** oauth2 with opaque tokens checked by RFC 7662 introspection at the authorization server. */
export interface OAuth2IntrospectionOptions extends OAuth2Base {
  introspection: IntrospectionOptions
  token?: never
  verify?: never
  /** The scopes a principal holds. @default the answer's `scope` */
  scopes?: (principal: IntrospectionPrincipal) => readonly string[] | undefined
}

/** oauth2 with tokens checked by a callback. */
export interface OAuth2VerifyOptions<P extends object> extends OAuth2Base {
  token?: never
  introspection?: never
  /** Return the principal, or `null`/`undefined` to reject. */
  verify: VerifyCallback<string, P>
  /** The scopes a principal holds. @default read from the principal's `scope`/`scp`/`permissions` (RFC 7662 `scope`) */
  scopes?: (principal: P) => readonly string[] | undefined
}

/** Every option name of {@link oauth2} (`token` takes {@link JWT_OPTIONS}). */
export const OAUTH2_OPTIONS = optionNames<OAuth2JwtOptions<object> | OAuth2VerifyOptions<object> | OAuth2IntrospectionOptions>()(
  ...COMMON_OPTIONS, 'flows', 'allowQuery', 'token', 'verify', 'introspection', 'scopes', 'dpop',
)

/** Check the flows; returns the declared scopes. */
function checkFlows(flows: unknown): Set<string> {
  if (flows === null || typeof flows !== 'object' || Array.isArray(flows)) throw configError('oauth2: flows object required')
  const names = Object.keys(flows)
  if (!names.some((name) => !name.startsWith('x-'))) throw configError('oauth2: flows must declare at least one flow')
  const scopes = new Set<string>()
  for (const name of names) {
    if (name.startsWith('x-')) continue // specification extensions are emitted unchanged
    const urls = FLOW_URLS[name as keyof OAuth2Flows]
    if (urls === undefined || !Object.hasOwn(FLOW_URLS, name)) throw configError(`oauth2: unknown flow "${name}"`)
    const flow = (flows as Record<string, Record<string, unknown>>)[name]
    if (flow === null || typeof flow !== 'object') throw configError(`oauth2: flow ${name} must be an object`)
    for (const url of [...urls, 'refreshUrl']) {
      const value = flow[url]
      if (value === undefined && url === 'refreshUrl') continue
      if (typeof value !== 'string') throw configError(`oauth2: flow ${name} needs ${url} (a URL string, may be relative)`)
    }
    const declared = flow.scopes
    if (declared === null || typeof declared !== 'object' || Array.isArray(declared)) throw configError(`oauth2: flow ${name} needs a scopes object`)
    for (const [scope, description] of Object.entries(declared)) {
      if (typeof description !== 'string') throw configError(`oauth2: description of scope "${scope}" must be a string`)
      scopes.add(scope)
    }
  }
  return scopes
}

function flowsFor(flows: OAuth2Flows, version: OpenAPIVersion): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, flow] of Object.entries(flows)) {
    if (name === 'deviceAuthorization' && version !== '3.2') continue
    out[name] = name.startsWith('x-') ? flow : { ...flow, scopes: { ...(flow as { scopes: OAuth2Scopes }).scopes } }
  }
  return out
}

/**
 * An OAuth 2.0 scheme (OpenAPI `type: oauth2`): bearer access tokens verified as JWTs (`token`)
 * or by a `verify` callback. Requirements may ask only the scopes its flows declare; a token
 * that lacks one answers 403 `insufficient_scope` with `scope="…"`.
 *
 * @example oauth2({ flows: { clientCredentials: { tokenUrl: '/token', scopes: { 'pets:read': 'Read pets' } } },
 *                   token: { algorithms: ['RS256'], jwksUri: 'https://issuer/jwks', issuer: 'https://issuer', audience: 'api' } })
 */
export function oauth2<C extends object = JWTPayload>(options: OAuth2JwtOptions<C>): Scheme<JwtPrincipal<C>>
export function oauth2(options: OAuth2IntrospectionOptions): Scheme<IntrospectionPrincipal>
export function oauth2<P extends object>(options: OAuth2VerifyOptions<P>): Scheme<P>
export function oauth2(options: OAuth2JwtOptions<object> | OAuth2VerifyOptions<object> | OAuth2IntrospectionOptions): Scheme<object> {
  checkCommon('oauth2', options, OAUTH2_OPTIONS)
  const declared = checkFlows(options.flows)
  const flows = structuredClone(options.flows)
  const allowQuery = options.allowQuery === true
  const hasToken = options.token !== undefined
  const given = [options.token, options.verify, options.introspection].filter((option) => option !== undefined).length
  if (given !== 1) throw configError('oauth2: give exactly one of token (JWT options), introspection or verify')
  let verify: Scheme<object>['verify']
  let warmup: (() => Promise<void>) | undefined
  let remote = false
  let bindResource: Scheme<object>['bindResource']
  let authorizationServers: readonly string[] | undefined
  if (hasToken) {
    const token = (options as OAuth2JwtOptions<object>).token
    if (token !== null && typeof token === 'object') checkOptions('oauth2: token', token, JWT_OPTIONS)
    const config = resolveJwtOptions('oauth2', token)
    const keys = keySourceFor(config)
    const jose = config.jose
    verify = (credential) => verifyJwtCached(credential as string, config, keys, jose)
    warmup = () => warmupOrThrow('oauth2', () => keys.warmup())
    remote = config.keys.kind === 'jwks'
    bindResource = (resource) => bindAudience('oauth2', config.audienceBinding, resource)
    authorizationServers = issuersOf(config.jose.issuer)
  } else if (options.introspection !== undefined) {
    checkFunction('oauth2', 'scopes', options.scopes, false)
    const introspect = introspectionVerifier(options.introspection, options.scopes as never)
    verify = introspect.verify
    ;({ bindResource, authorizationServers, remote } = introspect.schemeFields as { bindResource: typeof bindResource; authorizationServers: typeof authorizationServers; remote: boolean })
  } else {
    const callbackOptions = options as OAuth2VerifyOptions<object>
    checkFunction('oauth2', 'verify', callbackOptions.verify, true)
    checkFunction('oauth2', 'scopes', callbackOptions.scopes, false)
    const scopes = callbackOptions.scopes ?? ((principal: object) => scopesFromClaims(principal as Record<string, unknown>, ['scope', 'scp', 'permissions']))
    const callback = callbackOptions.verify
    verify = (credential, ctx) => runVerify('oauth2', callback, credential as string, ctx, scopes)
  }
  const scheme: Scheme<object> = {
    type: 'oauth2',
    realm: options.realm,
    scopeMode: declared,
    varyHeaders: ['Authorization'],
    authScheme: allowQuery ? undefined : 'Bearer',
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    verify,
    challenge: bearerChallenge,
    toOpenAPI: (version) => decorate({ type: 'oauth2', flows: flowsFor(flows, version) }, options),
    bearerMethods: bearerMethods(allowQuery),
    ...(bindResource === undefined ? {} : { bindResource }),
    ...(authorizationServers === undefined ? {} : { authorizationServers }),
  }
  const full = warmup === undefined ? (remote ? { ...scheme, remote } : scheme) : { ...scheme, warmup, remote }
  if (hasToken || options.introspection !== undefined) return withDpop('oauth2', full as Scheme<{ claims: object }>, options.dpop)
  if (options.dpop !== undefined) throw configError('oauth2: dpop needs token (JWT) or introspection; a verify callback checks its own tokens')
  return full
}
