import type { JWTPayload, JWTVerifyOptions } from 'jose'
import { configError } from '../errors.js'
import { extractBearer } from '../internal/bearer-token.js'
import { discoveryParser, expectedIssuer, type DiscoveryDocument } from '../internal/discovery.js'
import { JwksResolver } from '../internal/jwks-resolver.js'
import { RemoteDocument } from '../internal/remote-document.js'
import type { RequestView } from '../internal/request-view.js'
import type { Scheme } from '../types.js'
import { optionNames } from '../internal/check-options.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import { bindAudience } from '../jwt/audience-binding.js'
import { bearerMethods } from '../resource-server/resource-uri.js'
import { COMMON_OPTIONS, checkCommon, decorate, type CommonSchemeOptions } from './common.js'
import { bearerChallenge } from './http-bearer.js'
import { jwksKeySource, warmupOrThrow, type KeySource } from '../jwt/keys.js'
import { resolveJwtOptions, type JwtOutcome, type JwtPrincipal, type JwtVerifyOptions } from '../jwt/options.js'
import { failureFor, precheck, verifyJwt } from '../jwt/verify.js'

/** Options of {@link openIdConnect}: JWT options whose issuer and keys come from discovery. */
export interface OpenIdConnectOptions<C extends object = JWTPayload>
  extends Omit<JwtVerifyOptions<C>, 'secret' | 'publicKey' | 'jwksUri' | 'issuer'>,
    CommonSchemeOptions {
  /** The discovery document, `https://issuer/.well-known/openid-configuration`. */
  openIdConnectUrl: string
  /**
   * The issuer the discovery document must name (and tokens carry in `iss`).
   * @default the `openIdConnectUrl` without `/.well-known/openid-configuration`
   */
  issuer?: string
  /** Also accept the token in the `access_token` query parameter. @default false */
  allowQuery?: boolean
  /**
   * RFC 9449 DPoP: `allowed` also accepts `Authorization: DPoP <token>` with a `DPoP` proof
   * header; `required` accepts only that. Without it, DPoP-bound tokens (`cnf.jkt`) sent as
   * Bearer are refused all the same.
   */
  dpop?: DpopOption
}

/** Every option name of {@link openIdConnect}. */
export const OPEN_ID_CONNECT_OPTIONS = optionNames<OpenIdConnectOptions<object>>()(
  ...COMMON_OPTIONS, 'openIdConnectUrl', 'issuer', 'allowQuery', 'algorithms', 'remoteKeys', 'audience', 'clockTolerance',
  'maxTokenAge', 'requiredClaims', 'requireExp', 'typ', 'claims', 'scopeClaim', 'scopes', 'cache', 'maxTokenLength', 'dpop',
)
/** Key options are refused with their own message (keys come from discovery), not as typos. */
const ACCEPTED = [...OPEN_ID_CONNECT_OPTIONS, 'secret', 'publicKey', 'jwksUri']

interface DiscoveryState {
  readonly doc: DiscoveryDocument
  readonly keys: KeySource
  readonly jose: JWTVerifyOptions
}

/**
 * OpenID Connect (OpenAPI `type: openIdConnect`): bearer JWTs whose issuer and keys come from
 * the provider's discovery document, fetched once with a timeout, cached and retried after a
 * failure. The document's `issuer` must match; its `jwks_uri` supplies the keys. While neither
 * can be had, requests answer 503 with `Retry-After`.
 *
 * @example openIdConnect({ openIdConnectUrl: 'https://issuer/.well-known/openid-configuration', algorithms: ['RS256'], audience: 'api' })
 */
export function openIdConnect<C extends object = JWTPayload>(options: OpenIdConnectOptions<C>): Scheme<JwtPrincipal<C>> {
  checkCommon('openIdConnect', options, ACCEPTED)
  const url = options.openIdConnectUrl
  if (typeof url !== 'string' || !URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw configError('openIdConnect: openIdConnectUrl must be an absolute http(s) URL')
  }
  const issuer = options.issuer ?? expectedIssuer(url)
  if (issuer === undefined) {
    throw configError('openIdConnect: openIdConnectUrl does not end in /.well-known/openid-configuration; give the expected issuer')
  }
  if (typeof issuer !== 'string' || issuer.length === 0) throw configError('openIdConnect: issuer must be a non-empty string')
  const config = resolveJwtOptions('openIdConnect', options as JwtVerifyOptions<C>, true)
  const discovery = new RemoteDocument(url, discoveryParser(issuer, options.issuer === undefined, url), config.remote)
  const resolvers = new Map<string, JwksResolver>()
  let state: DiscoveryState | undefined

  const stateFor = (doc: DiscoveryDocument): DiscoveryState => {
    if (state?.doc === doc) return state
    let resolver = resolvers.get(doc.jwks_uri)
    if (resolver === undefined) {
      resolver = new JwksResolver(doc.jwks_uri, config.remote)
      resolvers.clear()
      resolvers.set(doc.jwks_uri, resolver)
    }
    state = { doc, keys: jwksKeySource(resolver), jose: { ...config.jose, issuer: doc.issuer } }
    return state
  }

  const verifyCold = (token: string): Promise<JwtOutcome<C>> => {
    const doc = discovery.get()
    if (!(doc instanceof Promise)) {
      const current = stateFor(doc)
      return verifyJwt(token, config, current.keys, current.jose)
    }
    return doc.then(
      (loaded) => {
        const current = stateFor(loaded)
        return verifyJwt(token, config, current.keys, current.jose)
      },
      (error: unknown) => failureFor(error),
    )
  }

  const allowQuery = options.allowQuery === true
  return withDpop('openIdConnect', {
    type: 'openIdConnect',
    realm: options.realm,
    scopeMode: 'any',
    varyHeaders: ['Authorization'],
    authScheme: allowQuery ? undefined : 'Bearer',
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    verify: (credential) => precheck(credential as string, config) ?? verifyCold(credential as string),
    challenge: bearerChallenge,
    toOpenAPI: () => decorate({ type: 'openIdConnect', openIdConnectUrl: url }, options),
    remote: true,
    bearerMethods: bearerMethods(allowQuery),
    authorizationServers: [issuer],
    bindResource: (resource) => bindAudience('openIdConnect', config.audienceBinding, resource),
    warmup: () =>
      warmupOrThrow('openIdConnect', async () => {
        const doc = await discovery.get()
        await stateFor(doc).keys.warmup()
      }),
  }, options.dpop)
}
