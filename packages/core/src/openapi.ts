import type { PreparedRequirement } from './requirement.js'
import type { OpenAPIVersion, Requirement, SchemeMap, SecuritySchemeObject } from './types.js'

/** Options of the OpenAPI builders. */
export interface OpenAPIOptions {
  /** OpenAPI version of the output. @default "3.1" */
  version?: OpenAPIVersion
}

/** What `auth.openapi()` returns. */
export interface OpenAPISecurityOutput {
  components: { securitySchemes: Record<string, SecuritySchemeObject> }
  security?: Array<Record<string, string[]>>
}

/** What `auth.operation()` returns. */
export interface OperationOutput {
  security: Array<Record<string, string[]>>
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>
}

/** A requirement as plain, mutable OpenAPI `security`. */
export function toSecurity(requirement: Requirement): Array<Record<string, string[]>> {
  return requirement.map((object) => {
    const out: Record<string, string[]> = {}
    for (const [name, scopes] of Object.entries(object)) out[name] = [...(scopes ?? [])]
    return out
  })
}

/** `components.securitySchemes` (+ document `security`) for the schemes. */
export function buildOpenAPI(schemes: SchemeMap, security: Requirement | undefined, options: OpenAPIOptions = {}): OpenAPISecurityOutput {
  const version = options.version ?? '3.1'
  const securitySchemes: Record<string, SecuritySchemeObject> = {}
  for (const [name, scheme] of Object.entries(schemes)) securitySchemes[name] = scheme.toOpenAPI(version)
  const out: OpenAPISecurityOutput = { components: { securitySchemes } }
  if (security !== undefined) out.security = toSecurity(security)
  return out
}

const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: {
      type: 'string',
      enum: ['invalid_request', 'invalid_token', 'insufficient_scope', 'credentials_missing', 'temporarily_unavailable'],
    },
  },
}

function problem(description: string): OperationOutput['responses'][string] {
  return { description, content: { 'application/problem+json': { schema: PROBLEM_SCHEMA } } }
}

/** An operation's `security` and the failure responses it can produce. */
export function buildOperation(prepared: PreparedRequirement<Requirement>, _options: OpenAPIOptions = {}): OperationOutput {
  const security = toSecurity(prepared.requirement)
  if (prepared.isPublic) return { security, responses: {} }
  const responses: OperationOutput['responses'] = {
    '400': problem('Malformed credentials'),
    '401': problem('Missing or invalid credentials'),
  }
  if (prepared.alternatives.some((entries) => entries.some((entry) => entry.scopes.length > 0))) {
    responses['403'] = problem('Insufficient scope')
  }
  return { security, responses }
}
