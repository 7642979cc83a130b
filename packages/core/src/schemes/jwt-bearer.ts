import type { JWTPayload } from 'jose'
import { extractBearer } from '../internal/bearer-token.js'
import { JwksResolver } from '../internal/jwks-resolver.js'
import type { RequestView } from '../internal/request-view.js'
import { configError } from '../errors.js'
import { optionNames } from '../internal/check-options.js'
import { issuerRouter, type TrustedIssuers } from '../resource-server/issuers.js'
import type { Awaitable, Scheme } from '../types.js'
import { withDpop, type DpopOption } from '../resource-server/dpop-scheme.js'
import { bindAudience } from '../jwt/audience-binding.js'
import { bearerMethods } from '../resource-server/resource-uri.js'
import { COMMON_OPTIONS, checkCommon, decorate, type CommonSchemeOptions } from './common.js'
import { bearerChallenge } from './http-bearer.js'
import { jwksKeySource, staticKeySource, warmupOrThrow, type KeySource } from '../jwt/keys.js'
import { JWT_OPTIONS, resolveJwtOptions, type JwtConfig, type JwtOutcome, type JwtPrincipal, type JwtVerifyOptions } from '../jwt/options.js'
import { verifyJwtCached } from '../jwt/verify.js'

/** Options of {@link jwtBearer}. */
export interface JwtBearerOptions<C extends object = JWTPayload> extends Omit<JwtVerifyOptions<C>, 'issuer'>, CommonSchemeOptions {
  /** Expected `iss` (one of, when an array). Required unless `issuers` is given: pass `false` to skip the check. */
  issuer?: string | readonly string[] | false
  /**
   * Trust several issuers: `{ [issuer]: { jwksUri } | { discovery }, audience? }` (replaces
   * `issuer` and the key options). A token's `iss` picks its entry only after it is found in
   * this allowlist; nothing is fetched for any other issuer.
   */
  issuers?: TrustedIssuers
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

/** Every option name of {@link jwtBearer}. */
export const JWT_BEARER_OPTIONS = optionNames<JwtBearerOptions<object>>()(...JWT_OPTIONS, ...COMMON_OPTIONS, 'allowQuery', 'dpop', 'issuers')

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
  checkCommon('jwtBearer', options, JWT_BEARER_OPTIONS)
  if (options.issuers !== undefined) return multiIssuer(options)
  const config = resolveJwtOptions('jwtBearer', options as JwtVerifyOptions<C>)
  const keys = keySourceFor(config)
  const jose = config.jose
  return jwtScheme(options, config, {
    verify: (credential) => verifyJwtCached(credential as string, config, keys, jose),
    warmup: () => warmupOrThrow('jwtBearer', () => keys.warmup()),
    remote: config.keys.kind === 'jwks',
  })
}

/** `jwtBearer({ issuers })`: one scheme, an allowlist of issuers (see {@link issuerRouter}). */
function multiIssuer<C extends object>(options: JwtBearerOptions<C>): Scheme<JwtPrincipal<C>> {
  const clash = (['issuer', 'secret', 'publicKey', 'jwksUri'] as const).filter((name) => options[name] !== undefined)
  if (clash.length > 0) throw configError(`jwtBearer: issuers replaces ${clash.join(', ')}; give each issuer's keys in its entry`)
  const config = resolveJwtOptions('jwtBearer', options as JwtVerifyOptions<C>, true)
  const router = issuerRouter('jwtBearer', options.issuers!, config as unknown as JwtConfig<object>)
  return jwtScheme(options, config, { verify: (credential) => router.verify(credential as string) as Awaitable<JwtOutcome<C>>, remote: true })
}

/** The scheme object both forms share; `parts` is how they verify. */
function jwtScheme<C extends object>(
  options: JwtBearerOptions<C>,
  config: JwtConfig<C>,
  parts: Pick<Scheme<JwtPrincipal<C>>, 'verify' | 'warmup' | 'remote'>,
): Scheme<JwtPrincipal<C>> {
  const allowQuery = options.allowQuery === true
  return withDpop('jwtBearer', {
    type: 'http',
    realm: options.realm,
    scopeMode: 'any',
    varyHeaders: ['Authorization'],
    authScheme: allowQuery ? undefined : 'Bearer',
    extract: (view: RequestView) => extractBearer(view, allowQuery),
    challenge: bearerChallenge,
    toOpenAPI: () => decorate({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, options),
    bearerMethods: bearerMethods(allowQuery),
    bindResource: (resource) => bindAudience('jwtBearer', config.audienceBinding, resource),
    ...parts,
  }, options.dpop)
}
