import { configError } from '../errors.js'
import { checkOptions } from '../internal/check-options.js'
import { API_KEY_OPTIONS, apiKey } from '../schemes/api-key.js'
import { HTTP_BASIC_OPTIONS, httpBasic } from '../schemes/http-basic.js'
import { HTTP_BEARER_OPTIONS, httpBearer } from '../schemes/http-bearer.js'
import { JWT_BEARER_OPTIONS, jwtBearer } from '../schemes/jwt-bearer.js'
import { OAUTH2_OPTIONS, oauth2 } from '../schemes/oauth2.js'
import { OPEN_ID_CONNECT_OPTIONS, openIdConnect } from '../schemes/open-id-connect.js'
import type { AnyScheme } from '../types.js'

type Json = Record<string, unknown>

/** True when `value` is a plain (non-array) object. */
export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** True when `value` is a ready scheme (made by a factory or by hand), not an options object. */
export function isScheme(value: unknown): value is AnyScheme {
  return (
    isObject(value) &&
    typeof value.extract === 'function' &&
    typeof value.verify === 'function' &&
    typeof value.toOpenAPI === 'function' &&
    typeof value.challenge === 'function'
  )
}

/** Swagger 2.0 `flow` names → OpenAPI 3 `flows` keys. */
const SWAGGER_FLOWS: Record<string, string> = {
  implicit: 'implicit',
  password: 'password',
  application: 'clientCredentials',
  accessCode: 'authorizationCode',
}

/**
 * A Swagger 2.0 security definition as an OpenAPI 3 security scheme: `type: basic` →
 * `{ type: http, scheme: basic }`; oauth2 `flow` + URLs + `scopes` → `flows.{implicit, password,
 * clientCredentials, authorizationCode}`. `description` and `x-` keys are kept.
 */
export function fromSwaggerScheme(definition: unknown): unknown {
  if (!isObject(definition)) return definition
  const { type, flow, authorizationUrl, tokenUrl, scopes, ...rest } = definition
  if (type === 'basic') return { ...rest, type: 'http', scheme: 'basic' }
  if (type === 'oauth2' && typeof flow === 'string' && SWAGGER_FLOWS[flow] !== undefined) {
    const target: Json = {}
    if (authorizationUrl !== undefined && (flow === 'implicit' || flow === 'accessCode')) target.authorizationUrl = authorizationUrl
    if (tokenUrl !== undefined && flow !== 'implicit') target.tokenUrl = tokenUrl
    target.scopes = scopes ?? {}
    return { ...rest, type: 'oauth2', flows: { [SWAGGER_FLOWS[flow]!]: target } }
  }
  return definition
}

/** Keys the document owns for each scheme type: a verifier that sets them is a config error. */
const OWNED: Record<string, readonly string[]> = {
  apiKey: ['type', 'in', 'name'],
  http: ['type', 'scheme', 'bearerFormat'],
  oauth2: ['type', 'flows'],
  openIdConnect: ['type', 'openIdConnectUrl'],
}

/**
 * Option names a verifier may set, by document scheme type (and `http` auth-scheme): its
 * factory's options minus what the document owns. A bearer verifier is opaque or JWT options.
 */
function verifierOptions(type: string, httpScheme: string | undefined): readonly string[] {
  const names =
    type === 'apiKey' ? API_KEY_OPTIONS
    : type === 'oauth2' ? OAUTH2_OPTIONS
    : type === 'openIdConnect' ? OPEN_ID_CONNECT_OPTIONS
    : httpScheme === 'basic' ? HTTP_BASIC_OPTIONS
    : [...new Set([...HTTP_BEARER_OPTIONS, ...JWT_BEARER_OPTIONS])]
  const owned = OWNED[type] ?? []
  return names.filter((name) => !owned.includes(name))
}

function decoration(object: Json, verifier: Json): Json {
  const extensions: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(object)) if (key.startsWith('x-')) extensions[key] = value
  if (isObject(verifier.extensions)) Object.assign(extensions, verifier.extensions)
  const out: Json = {}
  const description = object.description ?? verifier.description
  if (description !== undefined) out.description = description
  if (Object.keys(extensions).length > 0) out.extensions = extensions
  return out
}

/**
 * Build the scheme for one `securitySchemes` entry from the user's verifier: a ready `Scheme` is
 * used as is; otherwise the verifier options are completed with what the document says (type,
 * `in`, `name`, flows, `openIdConnectUrl`, `description`, `x-` extensions) and passed to the
 * matching factory. Throws `ERR_AUTHSPEC_CONFIG` with a message naming the scheme.
 */
export function buildScheme(name: string, object: unknown, verifier: unknown): AnyScheme {
  if (isScheme(verifier)) return verifier
  if (!isObject(verifier)) throw configError(`the verifier of "${name}" must be an options object or a Scheme`, name)
  if (object === undefined) throw configError(`"${name}" is used but not declared: its verifier must be a Scheme object`, name)
  if (!isObject(object)) throw configError(`securitySchemes "${name}" is not an object`, name)
  if (typeof object.$ref === 'string') throw configError(`securitySchemes "${name}" is an unresolved $ref (${object.$ref}); resolve references first`, name)
  const type = object.type
  if (typeof type !== 'string' || OWNED[type] === undefined) {
    const hint = type === 'mutualTLS' ? ' (TLS client certificates are checked by the server, not authspec)' : ''
    throw configError(`securitySchemes "${name}" has type ${JSON.stringify(type)}${hint}: pass a Scheme object as its verifier`, name)
  }
  const clash = OWNED[type]!.filter((key) => Object.hasOwn(verifier, key))
  if (clash.length > 0) throw configError(`the verifier of "${name}" sets ${clash.join(', ')}, which the document already says`, name)
  const httpScheme = typeof object.scheme === 'string' ? object.scheme.toLowerCase() : undefined
  if (type !== 'http' || httpScheme === 'basic' || httpScheme === 'bearer') checkOptions(`the verifier of "${name}"`, verifier, verifierOptions(type, httpScheme), name)
  const common = { ...verifier, ...decoration(object, verifier) }
  switch (type) {
    case 'apiKey':
      return apiKey({ ...common, in: object.in, name: object.name } as never)
    case 'http': {
      const scheme = httpScheme
      if (scheme === 'basic') return httpBasic(common as never)
      if (scheme === 'bearer') {
        const bearerFormat = typeof object.bearerFormat === 'string' ? { bearerFormat: object.bearerFormat } : {}
        if (Object.hasOwn(verifier, 'algorithms')) {
          if (verifier.verify !== undefined) throw configError(`the verifier of "${name}" gives both verify (opaque tokens) and algorithms (JWTs): choose one`, name)
          return withBearerFormat(jwtBearer(common as never), object.bearerFormat)
        }
        return httpBearer({ ...common, ...bearerFormat } as never)
      }
      throw configError(
        `"${name}" uses the http scheme ${JSON.stringify(object.scheme)}, which authspec does not implement: pass a Scheme object as its verifier`,
        name,
      )
    }
    case 'oauth2':
      return oauth2({ ...common, flows: object.flows } as never)
    default:
      return openIdConnect({ ...common, openIdConnectUrl: object.openIdConnectUrl } as never)
  }
}

/** `jwtBearer` emits `bearerFormat: JWT`; keep the document's value (or its absence) instead. */
function withBearerFormat(scheme: AnyScheme, bearerFormat: unknown): AnyScheme {
  const toOpenAPI: AnyScheme['toOpenAPI'] = (version) => {
    const object = { ...scheme.toOpenAPI(version) } as Record<string, unknown>
    if (bearerFormat === undefined) delete object.bearerFormat
    else object.bearerFormat = bearerFormat
    return object as unknown as ReturnType<AnyScheme['toOpenAPI']>
  }
  return Object.create(scheme, { toOpenAPI: { value: toOpenAPI, enumerable: true } }) as AnyScheme
}
