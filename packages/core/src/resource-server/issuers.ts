import { decodeJwt, type JWTVerifyOptions } from 'jose'
import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { discoveryParser, type DiscoveryDocument } from '../internal/discovery.js'
import { JwksResolver } from '../internal/jwks-resolver.js'
import { RemoteDocument } from '../internal/remote-document.js'
import { jwksKeySource, type KeySource } from '../jwt/keys.js'
import type { JwtConfig, JwtOutcome } from '../jwt/options.js'
import { failureFor, precheck, verifyJwt } from '../jwt/verify.js'
import type { Awaitable } from '../types.js'
import { audienceBinding } from '../jwt/audience-binding.js'
import { isHttpUrl } from '../internal/option-schema.js'

/** One trusted issuer of a multi-issuer scheme: where its keys come from, and its audience. */
export interface TrustedIssuer {
  /** Its JSON Web Key Set. */
  jwksUri?: string
  /** Its OpenID discovery document (`true`: `<issuer>/.well-known/openid-configuration`), whose `jwks_uri` gives the keys. */
  discovery?: string | true
  /** Expected `aud` of its tokens. @default the scheme's `audience` (or the auth's `resource`) */
  audience?: string | readonly string[] | false
}

/** The `issuers` option: issuer identifier → how its tokens are verified. */
export type TrustedIssuers = Readonly<Record<string, TrustedIssuer>>

const ISSUER_OPTIONS = optionNames<TrustedIssuer>()('jwksUri', 'discovery', 'audience')

interface Entry {
  readonly keys: () => Awaitable<KeySource>
  readonly jose: JWTVerifyOptions
  readonly config: JwtConfig<object>
}

const NOT_TRUSTED: JwtOutcome<never> = Object.freeze({ ok: false, reason: 'invalid', detail: 'issuer not trusted' })
const MALFORMED: JwtOutcome<never> = Object.freeze({ ok: false, reason: 'invalid', detail: 'token malformed' })

function discoveryKeys(url: string, issuer: string, config: JwtConfig<object>): () => Awaitable<KeySource> {
  const document = new RemoteDocument<DiscoveryDocument>(url, discoveryParser(issuer, false), config.remote)
  let current: { uri: string; source: KeySource } | undefined
  const sourceFor = (doc: DiscoveryDocument): KeySource => {
    if (current?.uri !== doc.jwks_uri) current = { uri: doc.jwks_uri, source: jwksKeySource(new JwksResolver(doc.jwks_uri, config.remote)) }
    return current.source
  }
  return () => {
    const doc = document.get()
    return doc instanceof Promise ? doc.then(sourceFor) : sourceFor(doc)
  }
}

/**
 * Verification for a scheme that trusts several issuers (an allowlist). The token's `iss` is read
 * without trusting it, looked up in the allowlist by own key, and only then are that issuer's keys
 * (JWKS or discovery) fetched and the token verified against it, with `issuer` fixed to that
 * entry. A token from any other issuer is rejected before anything is fetched.
 */
export function issuerRouter(kind: string, issuers: TrustedIssuers, config: JwtConfig<object>): { verify(token: string): Awaitable<JwtOutcome<object>>; readonly issuers: readonly string[] } {
  if (issuers === null || typeof issuers !== 'object' || Array.isArray(issuers) || Object.keys(issuers).length === 0) {
    throw configError(`${kind}: issuers must map at least one issuer to { jwksUri } or { discovery }`)
  }
  const entries = new Map<string, Entry>()
  for (const [issuer, entry] of Object.entries(issuers)) {
    if (issuer.length === 0) throw configError(`${kind}: an issuer identifier is empty`)
    if (entry === null || typeof entry !== 'object') throw configError(`${kind}: issuers["${issuer}"] must be an object`)
    checkOptions(`${kind}: issuers["${issuer}"]`, entry, ISSUER_OPTIONS)
    if ((entry.jwksUri === undefined) === (entry.discovery === undefined)) throw configError(`${kind}: issuers["${issuer}"] needs exactly one of jwksUri or discovery`)
    let keys: () => Awaitable<KeySource>
    if (entry.jwksUri !== undefined) {
      if (!isHttpUrl(entry.jwksUri)) throw configError(`${kind}: issuers["${issuer}"].jwksUri must be an absolute http(s) URL`)
      const source = jwksKeySource(new JwksResolver(entry.jwksUri, config.remote))
      keys = () => source
    } else {
      const url = entry.discovery === true ? `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration` : entry.discovery
      if (!isHttpUrl(url)) throw configError(`${kind}: issuers["${issuer}"].discovery must be true or an absolute http(s) URL`)
      keys = discoveryKeys(url, issuer, config)
    }
    const jose: JWTVerifyOptions = { ...config.jose, issuer }
    let own = config
    if (entry.audience !== undefined) {
      const audience = entry.audience
      if (audience !== false && !(typeof audience === 'string' ? audience.length > 0 : Array.isArray(audience) && audience.length > 0)) {
        throw configError(`${kind}: issuers["${issuer}"].audience must be a non-empty string, array, or false`)
      }
      if (audience === false) delete jose.audience
      else jose.audience = typeof audience === 'string' ? audience : [...audience]
      own = { ...config, audienceBinding: audienceBinding(true) }
    }
    entries.set(issuer, { keys, jose, config: own })
  }
  return {
    issuers: Object.freeze([...entries.keys()]),
    verify: (token) => {
      const cached = precheck(token, config)
      if (cached !== undefined) return cached
      let iss: unknown
      try {
        iss = decodeJwt(token).iss
      } catch {
        return MALFORMED
      }
      const entry = typeof iss === 'string' ? entries.get(iss) : undefined
      if (entry === undefined) return NOT_TRUSTED
      const keys = entry.keys()
      if (!(keys instanceof Promise)) return verifyJwt(token, entry.config, keys, entry.jose)
      return keys.then((source) => verifyJwt(token, entry.config, source, entry.jose), (error: unknown) => failureFor(error))
    },
  }
}
