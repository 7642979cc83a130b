import type { PreparedRequirement } from '../requirement.js'
import type { OpenAPIVersion, Requirement, SchemeMap, SecuritySchemeObject } from '../types.js'
import { setOwn } from '../internal/set-own.js'

/** Options of the OpenAPI builders. */
export interface OpenAPIOptions {
  /** OpenAPI version of the output. @default "3.1" */
  version?: OpenAPIVersion
}

/** Name of the one problem+json schema every failure response refers to, under `components.schemas`. */
export const PROBLEM_SCHEMA_NAME = 'AuthspecProblem'

/** `$ref` of the shared problem+json schema. */
export const PROBLEM_SCHEMA_REF = `#/components/schemas/${PROBLEM_SCHEMA_NAME}`

/** A JSON Schema, as emitted under `components.schemas`. */
export type SchemaObject = Record<string, unknown>

/** An emitted failure response (refers to the shared problem+json schema). */
export interface ResponseObject {
  description: string
  headers?: Record<string, { description: string; schema: SchemaObject }>
  content: Record<string, { schema: { $ref: string } }>
}

/**
 * The extension that carries a requirement's roles in OpenAPI 3.0 output: 3.0 allows scopes in
 * `security` only for oauth2 and openIdConnect schemes, so there the roles asked of other
 * schemes (an apiKey's `['admin']`) are emitted as `[]`, and this key (on the document or the
 * operation) holds the requirement as written, roles included. 3.1 and 3.2 keep roles in
 * `security` and need no extension.
 */
export const ROLES_EXTENSION = 'x-authspec-security'

/** What `auth.openapi()` returns: merge it into a document's `components` and `security`. */
export interface OpenAPISecurityOutput {
  components: {
    securitySchemes: Record<string, SecuritySchemeObject>
    /** The problem+json schema the responses of `auth.operation()` refer to. */
    schemas: { [PROBLEM_SCHEMA_NAME]: SchemaObject }
  }
  /** The document-level requirement (the auth's `security`), when it has one. */
  security?: Array<Record<string, string[]>>
  /** 3.0 only, when `security` had roles emptied: the requirement with its roles ({@link ROLES_EXTENSION}). */
  [ROLES_EXTENSION]?: Array<Record<string, string[]>>
}

/** What `auth.operation()` returns. */
export interface OperationOutput {
  security: Array<Record<string, string[]>>
  /** 3.0 only, when `security` had roles emptied: the requirement with its roles ({@link ROLES_EXTENSION}). */
  [ROLES_EXTENSION]?: Array<Record<string, string[]>>
  /**
   * The failure responses this requirement can produce: 400 and 401 for every protected
   * requirement, 403 when it asks scopes, 503 when one of its schemes fetches remote material
   * (JWKS, discovery). None for `[]` or `[{}]`; with `{}` among others (anonymous allowed), no 403
   * and a 401 for rejected credentials only.
   */
  responses: Record<string, ResponseObject>
}

/** A requirement as plain, mutable OpenAPI `security`. */
export function toSecurity(requirement: Requirement): Array<Record<string, string[]>> {
  return requirement.map((object) => {
    const out: Record<string, string[]> = {}
    for (const [name, scopes] of Object.entries(object)) setOwn(out, name, [...(scopes ?? [])])
    return out
  })
}

/** Scheme types whose requirements may list scopes in OpenAPI 3.0. */
const SCOPED_IN_30 = new Set(['oauth2', 'openIdConnect'])

/**
 * `security` as `version` allows it, and the requirement with roles when 3.0 output had to
 * empty them (else `undefined`).
 */
export function securityFor(
  requirement: Requirement,
  typeOf: (name: string) => string | undefined,
  version: OpenAPIVersion,
): { security: Array<Record<string, string[]>>; roles: Array<Record<string, string[]>> | undefined } {
  const security = toSecurity(requirement)
  if (version !== '3.0') return { security, roles: undefined }
  let emptied = false
  const out = security.map((object) => {
    const copy: Record<string, string[]> = {}
    for (const [name, scopes] of Object.entries(object)) {
      const keep = scopes.length === 0 || SCOPED_IN_30.has(typeOf(name) ?? '')
      if (!keep) emptied = true
      setOwn(copy, name, keep ? scopes : [])
    }
    return copy
  })
  return emptied ? { security: out, roles: security } : { security, roles: undefined }
}

/** The RFC 9457 problem details schema of authspec's failure bodies. */
export function problemSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'RFC 9457 problem details of an authentication failure.',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: {
      type: { type: 'string' },
      title: { type: 'string' },
      status: { type: 'integer', enum: [400, 401, 403, 429, 503] },
      detail: { type: 'string' },
      code: {
        type: 'string',
        enum: ['invalid_request', 'invalid_token', 'insufficient_scope', 'credentials_missing', 'temporarily_unavailable', 'rate_limited'],
      },
    },
  }
}

/** `components.securitySchemes`, the problem schema and the document `security` for the schemes. */
export function buildOpenAPI(schemes: SchemeMap, security: Requirement | undefined, options: OpenAPIOptions = {}): OpenAPISecurityOutput {
  const version = options.version ?? '3.1'
  const securitySchemes: Record<string, SecuritySchemeObject> = {}
  for (const [name, scheme] of Object.entries(schemes)) setOwn(securitySchemes, name, scheme.toOpenAPI(version))
  const out: OpenAPISecurityOutput = { components: { securitySchemes, schemas: { [PROBLEM_SCHEMA_NAME]: problemSchema() } } }
  if (security !== undefined) {
    const emitted = securityFor(security, (name) => (Object.hasOwn(schemes, name) ? schemes[name]!.type : undefined), version)
    out.security = emitted.security
    if (emitted.roles !== undefined) out[ROLES_EXTENSION] = emitted.roles
  }
  return out
}

const STRING = { type: 'string' }

function response(description: string, header?: 'WWW-Authenticate' | 'Retry-After' | 'RateLimit'): ResponseObject {
  const out: ResponseObject = { description, content: { 'application/problem+json': { schema: { $ref: PROBLEM_SCHEMA_REF } } } }
  if (header === 'WWW-Authenticate') {
    out.headers = { 'WWW-Authenticate': { description: 'One challenge per security scheme of the requirement.', schema: { ...STRING } } }
  } else if (header === 'Retry-After') {
    out.headers = { 'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } } }
  } else if (header === 'RateLimit') {
    out.headers = {
      'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
      RateLimit: { description: 'The limit that was reached and seconds until it resets (IETF httpapi RateLimit header draft).', schema: { ...STRING } },
      'RateLimit-Policy': { description: 'Quota and window, in seconds, of the limit (IETF httpapi RateLimit header draft).', schema: { ...STRING } },
    }
  }
  return out
}

/** An operation's `security` and the failure responses it can produce. */
export function buildOperation(prepared: PreparedRequirement<Requirement>, options: OpenAPIOptions = {}): OperationOutput {
  const types = new Map<string, string>()
  for (const entries of prepared.alternatives) for (const entry of entries) types.set(entry.name, entry.scheme.type)
  const emitted = securityFor(prepared.requirement, (name) => types.get(name), options.version ?? '3.1')
  const security = emitted.security
  const base: Pick<OperationOutput, 'security' | typeof ROLES_EXTENSION> = emitted.roles === undefined ? { security } : { security, [ROLES_EXTENSION]: emitted.roles }
  // `[]` is public, and so is `[{}]` (nothing else to try): nothing can fail.
  if (prepared.isPublic || prepared.alternatives.every((entries) => entries.length === 0)) return { ...base, responses: {} }
  // With `{}`, missing credentials and missing scopes pass anonymously: no 403, and 401 only rejects.
  const optional = prepared.alternatives.some((entries) => entries.length === 0)
  const responses: OperationOutput['responses'] = {
    '400': response('Malformed credentials (invalid_request).', 'WWW-Authenticate'),
    '401': optional
      ? response('Rejected credentials (invalid_token); sending none is allowed.', 'WWW-Authenticate')
      : response('Missing or rejected credentials (credentials_missing, invalid_token).', 'WWW-Authenticate'),
  }
  if (!optional && prepared.alternatives.some((entries) => entries.some((entry) => entry.scopes.length > 0))) {
    responses['403'] = response('Valid credentials without a required scope (insufficient_scope).', 'WWW-Authenticate')
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scheme.remote === true))) {
    responses['503'] = response('Credentials cannot be verified right now (temporarily_unavailable).', 'Retry-After')
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scheme.rateLimited === true))) {
    responses['429'] = response('Usage limit reached or too many failed attempts (rate_limited).', 'RateLimit')
  }
  return { ...base, responses }
}
