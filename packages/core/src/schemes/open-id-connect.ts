import type { JWTPayload, JWTVerifyOptions } from 'jose'
import { configError } from '../errors.js'
import { extractBearer } from '../internal/bearer-token.js'
import { discoveryParser, expectedIssuer, type DiscoveryDocument } from '../internal/discovery.js'
import { JwksResolver } from '../internal/jwks-resolver.js'
import { RemoteDocument } from '../internal/remote-document.js'
import type { RequestView } from '../internal/request-view.js'
import type { Scheme } from '../types.js'
import { optionNames } from '../internal/check-options.js'
import { httpUrl, nonEmptyString } from '../internal/option-schema.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import { bindAudience } from '../jwt/audience-binding.js'
import { bearerMethods } from '../resource-server/resource-uri.js'
import { COMMON_OPTIONS, checkCommon, decorate, type CommonSchemeOptions } from './common.js'
import { bearerChallenge } from './http-bearer.js'
import { jwksKeySource, warmupOrThrow, type KeySource } from '../jwt/keys.js'
import { resolveJwtOptions, type JwtConfig, type JwtOutcome, type JwtPrincipal, type JwtVerifyOptions } from '../jwt/options.js'
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

/** The resolved options of one scheme and what it learnt from discovery. */
interface Discovered<C extends object> {
  readonly url: string
  readonly issuer: string
  readonly config: JwtConfig<C>
  readonly discovery: RemoteDocument<DiscoveryDocument>
  /** The resolver of the current `jwks_uri` (one at most). */
  readonly resolvers: Map<string, JwksResolver>
  state: DiscoveryState | undefined
}

/** Check the options (throws `ERR_AUTHSPEC_CONFIG`). */
function resolveOpenIdConnect<C extends object>(options: OpenIdConnectOptions<C>): Discovered<C> {
  checkCommon('openIdConnect', options, ACCEPTED)
  const url = httpUrl('openIdConnect: openIdConnectUrl', options.openIdConnectUrl)
  const issuer = options.issuer ?? expectedIssuer(url)
  if (issuer === undefined) {
    throw configError('openIdConnect: openIdConnectUrl does not end in /.well-known/openid-configuration; give the expected issuer')
  }
  nonEmptyString('openIdConnect: issuer', issuer)
  const config = resolveJwtOptions('openIdConnect', options as JwtVerifyOptions<C>, true)
  const discovery = new RemoteDocument(url, discoveryParser(issuer, options.issuer === undefined, url), config.remote)
  return { url, issuer, config, discovery, resolvers: new Map(), state: undefined }
}

/** The keys and verify options of a discovery document (kept while the document is the same). */
function stateFor<C extends object>(d: Discovered<C>, doc: DiscoveryDocument): DiscoveryState {
  if (d.state?.doc === doc) return d.state
  let resolver = d.resolvers.get(doc.jwks_uri)
  if (resolver === undefined) {
    resolver = new JwksResolver(doc.jwks_uri, d.config.remote)
    d.resolvers.clear()
    d.resolvers.set(doc.jwks_uri, resolver)
  }
  d.state = { doc, keys: jwksKeySource(resolver), jose: { ...d.config.jose, issuer: doc.issuer } }
  return d.state
}

/** Verify a token not answered by the cache: discovery (perhaps loading), then the JWT. */
function verifyCold<C extends object>(d: Discovered<C>, token: string): Promise<JwtOutcome<C>> {
  const doc = d.discovery.get()
  if (!(doc instanceof Promise)) {
    const current = stateFor(d, doc)
    return verifyJwt(token, d.config, current.keys, current.jose)
  }
  return doc.then(
    (loaded) => {
      const current = stateFor(d, loaded)
      return verifyJwt(token, d.config, current.keys, current.jose)
    },
    (error: unknown) => failureFor(error),
  )
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
  const d = resolveOpenIdConnect(options)
  const { config, url, discovery } = d
  const allowQuery = options.allowQuery === true
  return withDpop('openIdConnect', {
    type: 'openIdConnect',
    realm: options.realm,
    scopeMode: 'any',
    varyHeaders: ['Authorization'],
    authScheme: allowQuery ? undefined : 'Bearer',
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    verify: (credential) => precheck(credential as string, config) ?? verifyCold(d, credential as string),
    challenge: bearerChallenge,
    toOpenAPI: () => decorate({ type: 'openIdConnect', openIdConnectUrl: url }, options),
    remote: true,
    bearerMethods: bearerMethods(allowQuery),
    authorizationServers: [d.issuer],
    bindResource: (resource) => bindAudience('openIdConnect', config.audienceBinding, resource),
    warmup: () =>
      warmupOrThrow('openIdConnect', async () => {
        const doc = await discovery.get()
        await stateFor(d, doc).keys.warmup()
      }),
  }, options.dpop)
}
