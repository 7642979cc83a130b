import type { PreparedRequirement } from './requirement.js'
import type { OpenAPIVersion, Requirement, SchemeMap, SecuritySchemeObject } from './types.js'

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

/** What `auth.openapi()` returns: merge it into a document's `components` and `security`. */
export interface OpenAPISecurityOutput {
  components: {
    securitySchemes: Record<string, SecuritySchemeObject>
    /** The problem+json schema the responses of `auth.operation()` refer to. */
    schemas: { [PROBLEM_SCHEMA_NAME]: SchemaObject }
  }
  /** The document-level requirement (the auth's `security`), when it has one. */
  security?: Array<Record<string, string[]>>
}

/** What `auth.operation()` returns. */
export interface OperationOutput {
  security: Array<Record<string, string[]>>
  /**
   * The failure responses this requirement can produce: 400 and 401 for every protected
   * requirement, 403 when it asks scopes, 503 when one of its schemes fetches remote material
   * (JWKS, discovery). None for `[]` (public) or when an alternative is `{}` (anonymous allowed).
   */
  responses: Record<string, ResponseObject>
}

/**
 * Set an own, enumerable property, also for keys such as `__proto__` that plain assignment
 * would turn into a prototype change (names in documents are data, never object internals).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** A requirement as plain, mutable OpenAPI `security`. */
export function toSecurity(requirement: Requirement): Array<Record<string, string[]>> {
  return requirement.map((object) => {
    const out: Record<string, string[]> = {}
    for (const [name, scopes] of Object.entries(object)) setOwn(out, name, [...(scopes ?? [])])
    return out
  })
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
  if (security !== undefined) out.security = toSecurity(security)
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
export function buildOperation(prepared: PreparedRequirement<Requirement>, _options: OpenAPIOptions = {}): OperationOutput {
  const security = toSecurity(prepared.requirement)
  // `[]` is public; an empty alternative (`{}`) always passes, so nothing can fail.
  if (prepared.isPublic || prepared.alternatives.some((entries) => entries.length === 0)) return { security, responses: {} }
  const responses: OperationOutput['responses'] = {
    '400': response('Malformed credentials (invalid_request).', 'WWW-Authenticate'),
    '401': response('Missing or rejected credentials (credentials_missing, invalid_token).', 'WWW-Authenticate'),
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scopes.length > 0))) {
    responses['403'] = response('Valid credentials without a required scope (insufficient_scope).', 'WWW-Authenticate')
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scheme.remote === true))) {
    responses['503'] = response('Credentials cannot be verified right now (temporarily_unavailable).', 'Retry-After')
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scheme.rateLimited === true))) {
    responses['429'] = response('Usage limit reached or too many failed attempts (rate_limited).', 'RateLimit')
  }
  return { security, responses }
}
