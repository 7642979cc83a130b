import { importJWK, SignJWT, type JWK } from 'jose'
import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { nonEmptyString } from '../internal/option-schema.js'

/** How the resource server authenticates to the introspection endpoint (RFC 7662 §2.1). */
export type IntrospectionClientAuth =
  | {
      /** `client_secret_basic` (RFC 6749 §2.3.1): HTTP Basic with the form-encoded id and secret. */
      method?: 'client_secret_basic'
      clientId: string
      clientSecret: string
    }
  | {
      /** `private_key_jwt` (RFC 7523, OIDC Core §9): a short-lived JWT signed with the client's key. */
      method: 'private_key_jwt'
      clientId: string
      /** The private key: a private JWK or a `CryptoKey` (imported once). */
      privateKey: JWK | CryptoKey
      /** Signing algorithm, e.g. `"RS256"`, `"ES256"`, `"EdDSA"`. */
      algorithm: string
      /** `kid` header of the assertion. */
      keyId?: string
      /** `aud` of the assertion. @default the introspection `issuer`, else the endpoint URL */
      audience?: string
    }

const CLIENT_OPTIONS = optionNames<IntrospectionClientAuth>()('method', 'clientId', 'clientSecret', 'privateKey', 'algorithm', 'keyId', 'audience')

/** Adds client authentication to one introspection request. */
export type ClientAuthenticator = (headers: Record<string, string>, body: URLSearchParams) => Promise<void> | void

const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+')

/** Check the client options and build the authenticator (keys imported on first use, once). */
export function clientAuthenticator(client: IntrospectionClientAuth, defaultAudience: string): ClientAuthenticator {
  if (client === null || typeof client !== 'object') throw configError('introspection: client object required')
  checkOptions('introspection: client', client, CLIENT_OPTIONS)
  nonEmptyString('introspection: client.clientId', client.clientId)
  const { clientId } = client
  if (client.method === undefined || client.method === 'client_secret_basic') {
    const secret = (client as { clientSecret?: unknown }).clientSecret
    if (typeof secret !== 'string' || secret.length === 0) throw configError('introspection: client_secret_basic needs client.clientSecret')
    const header = `Basic ${btoa(`${formEncode(clientId)}:${formEncode(secret)}`)}`
    return (headers) => {
      headers.authorization = header
    }
  }
  if (client.method !== 'private_key_jwt') throw configError(`introspection: unknown client.method ${JSON.stringify(client.method)}`)
  const { privateKey, algorithm, keyId } = client
  if (typeof algorithm !== 'string' || algorithm.length === 0 || algorithm.startsWith('HS') || algorithm === 'none') {
    throw configError('introspection: private_key_jwt needs client.algorithm, an asymmetric JWS algorithm')
  }
  const isCryptoKey = typeof CryptoKey !== 'undefined' && privateKey instanceof CryptoKey
  if (!isCryptoKey && (privateKey === null || typeof privateKey !== 'object' || typeof (privateKey as JWK).d !== 'string')) {
    throw configError('introspection: private_key_jwt needs client.privateKey, a private JWK or CryptoKey')
  }
  const audience = client.audience ?? defaultAudience
  let key: Promise<CryptoKey | Uint8Array> | undefined
  return async (_headers, body) => {
    key ??= isCryptoKey
      ? Promise.resolve(privateKey as CryptoKey)
      : importJWK(privateKey as JWK, algorithm).catch((cause: unknown) => {
          throw configError(`introspection: client.privateKey cannot be imported for ${algorithm}`, undefined, cause)
        })
    const assertion = await new SignJWT({})
      .setProtectedHeader(keyId === undefined ? { alg: algorithm } : { alg: algorithm, kid: keyId })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(audience)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(await key)
    body.set('client_id', clientId)
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    body.set('client_assertion', assertion)
  }
}
