import { authChallenge } from '../resource-server/challenge.js'
import { bearerMethods } from '../resource-server/resource-uri.js'
import { extractBearer } from '../internal/bearer-token.js'
import type { RequestView } from '../internal/request-view.js'
import { runVerify } from '../internal/verify-callback.js'
import { configError } from '../errors.js'
import { optionNames } from '../internal/check-options.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import type { IntrospectionOptions, IntrospectionPrincipal } from '../resource-server/introspection.js'
import { introspectionVerifier } from '../resource-server/introspection-scheme.js'
import type { ChallengeParams, Scheme } from '../types.js'
import { COMMON_OPTIONS, checkCommon, checkFunction, decorate, type CommonSchemeOptions, type ScopedOptions, type VerifyCallback } from './common.js'

/** Options of {@link httpBearer} with a `verify` callback. */
export interface HttpBearerOptions<P extends object> extends HttpBearerBase<P> {
  /** Look the opaque token up (database, introspection); return the principal or `null`/`undefined`. */
  verify: VerifyCallback<string, P>
  introspection?: never
}

/** Options of {@link httpBearer} checking tokens by RFC 7662 introspection. */
export interface HttpBearerIntrospectionOptions extends HttpBearerBase<IntrospectionPrincipal> {
  /**
   * Check tokens by RFC 7662 introspection at the authorization server instead of `verify`
   * (principal: `{ token, claims }`; scopes from the answer's `scope`). Endpoint errors and
   * timeouts answer 503.
   */
  introspection: IntrospectionOptions
  verify?: never
}

/** What both forms of {@link httpBearer} accept. */
interface HttpBearerBase<P extends object> extends CommonSchemeOptions, ScopedOptions<P> {
  /**
   * Also accept the token in the `access_token` query parameter (RFC 6750 §2.3). Off by default
   * because URLs end up in logs. A token in both the header and the query is malformed (400).
   * @default false
   */
  allowQuery?: boolean
  /** OpenAPI `bearerFormat` hint, e.g. `"opaque"`. */
  bearerFormat?: string
  /**
   * RFC 9449 DPoP: `allowed` also accepts `Authorization: DPoP <token>` with a `DPoP` proof
   * header; `required` accepts only that. Without it, DPoP-bound tokens (`cnf.jkt`) sent as
   * Bearer are refused all the same.
   */
  dpop?: DpopOption
}

/** Every option name of {@link httpBearer}, in both its forms. */
export const HTTP_BEARER_OPTIONS = optionNames<HttpBearerOptions<object> | HttpBearerIntrospectionOptions>()(
  ...COMMON_OPTIONS, 'verify', 'introspection', 'scopes', 'allowQuery', 'bearerFormat', 'dpop',
)

/** Build a Bearer challenge (RFC 6750 §3, RFC 9728 §5.1). Shared by every bearer-token scheme. */
export function bearerChallenge(params: ChallengeParams): string {
  return authChallenge('Bearer', params)
}

/**
 * An opaque bearer token (RFC 6750, OpenAPI `type: http, scheme: bearer`) checked by a callback.
 * For JWTs use `jwtBearer`.
 *
 * @example httpBearer({ verify: (token) => sessions.get(token), scopes: (s) => s.scopes })
 */
export function httpBearer(options: HttpBearerIntrospectionOptions): Scheme<IntrospectionPrincipal>
export function httpBearer<P extends object>(options: HttpBearerOptions<P>): Scheme<P>
export function httpBearer<P extends object>(options: HttpBearerOptions<P> | (HttpBearerIntrospectionOptions & HttpBearerBase<P>)): Scheme<P> {
  checkCommon('httpBearer', options, HTTP_BEARER_OPTIONS)
  if ((options.introspection === undefined) === (options.verify === undefined)) throw configError('httpBearer: give exactly one of verify or introspection')
  checkFunction('httpBearer', 'scopes', options.scopes, false)
  const allowQuery = options.allowQuery === true
  const { verify, scopes, bearerFormat } = options
  const introspect = options.introspection === undefined ? undefined : introspectionVerifier(options.introspection, scopes)
  if (introspect === undefined) checkFunction('httpBearer', 'verify', verify, true)
  if (introspect === undefined && options.dpop !== undefined) throw configError('httpBearer: dpop needs introspection; a verify callback checks its own tokens')
  const scheme: Scheme<P> = {
    type: 'http',
    realm: options.realm,
    scopeMode: scopes === undefined && introspect === undefined ? 'none' : 'any',
    varyHeaders: ['Authorization'],
    authScheme: allowQuery ? undefined : 'Bearer',
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    verify: (introspect?.verify as Scheme<P>['verify'] | undefined) ?? ((credential, ctx) => runVerify('httpBearer', verify!, credential as string, ctx, scopes)),
    ...(introspect === undefined ? {} : introspect.schemeFields),
    challenge: bearerChallenge,
    bearerMethods: bearerMethods(allowQuery),
    toOpenAPI: () =>
      decorate(bearerFormat === undefined ? { type: 'http', scheme: 'bearer' } : { type: 'http', scheme: 'bearer', bearerFormat }, options),
  }
  return introspect === undefined ? scheme : (withDpop('httpBearer', scheme as unknown as Scheme<{ claims: object }>, options.dpop) as unknown as Scheme<P>)
}
