import type { JWTPayload } from 'jose'
import { extractBearer } from '../internal/bearer-token.js'
import { JwksResolver } from '../internal/jwks-resolver.js'
import type { RequestView } from '../internal/request-view.js'
import type { Scheme } from '../types.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import { bindAudience } from '../resource-server/audience-binding.js'
import { bearerMethods } from '../resource-server/resource-uri.js'
import { checkCommon, decorate, type CommonSchemeOptions } from './common.js'
import { bearerChallenge } from './http-bearer.js'
import { jwksKeySource, staticKeySource, warmupOrThrow, type KeySource } from './jwt-keys.js'
import { resolveJwtOptions, type JwtConfig, type JwtPrincipal, type JwtVerifyOptions } from './jwt-options.js'
import { verifyJwtCached } from './jwt-verify.js'

/** Options of {@link jwtBearer}. */
export interface JwtBearerOptions<C extends object = JWTPayload> extends JwtVerifyOptions<C>, CommonSchemeOptions {
  /**
   * Also accept the token in the `access_token` query parameter (RFC 6750 §2.3). Off by default
   * because URLs end up in logs. A token in both the header and the query is malformed (400).
   * @default false
   */
  allowQuery?: boolean
  /**
   * RFC 9449 DPoP: `allowed` also accepts `Authorization: DPoP <token>` with a `DPoP` proof
   * header; `required` accepts only that. Without it, DPoP-bound tokens (`cnf.jkt`) sent as
   * Bearer are refused all the same.
   */
  dpop?: DpopOption
}

/** The key source of checked JWT options with their own keys (not discovery). */
export function keySourceFor(config: Pick<JwtConfig<object>, 'kind' | 'keys' | 'remote' | 'algorithms'>): KeySource {
  const keys = config.keys
  if (keys.kind === 'jwks') return jwksKeySource(new JwksResolver(keys.jwksUri, config.remote))
  if (keys.kind === 'discovery') throw new TypeError('discovery keys have no static source')
  return staticKeySource(config.kind, keys, config.algorithms)
}

/**
 * A JWT bearer token (RFC 6750 + RFC 7519; OpenAPI `type: http, scheme: bearer, bearerFormat: JWT`)
 * verified with jose. The server chooses the algorithms and the key; `issuer` and `audience`
 * are checked unless set to `false`. Requirements may ask any scope: the granted scopes come
 * from the `scope`, `scp` and `permissions` claims (see `scopeClaim`).
 *
 * @example jwtBearer({ algorithms: ['RS256'], jwksUri: 'https://issuer/.well-known/jwks.json', issuer: 'https://issuer/', audience: 'api' })
 */
export function jwtBearer<C extends object = JWTPayload>(options: JwtBearerOptions<C>): Scheme<JwtPrincipal<C>> {
  checkCommon('jwtBearer', options)
  const config = resolveJwtOptions('jwtBearer', options)
  const keys = keySourceFor(config)
  const allowQuery = options.allowQuery === true
  const jose = config.jose
  return withDpop('jwtBearer', {
    type: 'http',
    realm: options.realm,
    scopeMode: 'any',
    varyHeaders: ['Authorization'],
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    verify: (credential) => verifyJwtCached(credential as string, config, keys, jose),
    challenge: bearerChallenge,
    toOpenAPI: () => decorate({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, options),
    warmup: () => warmupOrThrow('jwtBearer', () => keys.warmup()),
    remote: config.keys.kind === 'jwks',
    bearerMethods: bearerMethods(allowQuery),
    bindResource: (resource) => bindAudience('jwtBearer', config.audienceBinding, resource),
  }, options.dpop)
}
