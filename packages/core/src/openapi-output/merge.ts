import { configError } from '../errors.js'
import { setOwn } from '../internal/set-own.js'
import { PROBLEM_SCHEMA_NAME, ROLES_EXTENSION, type OpenAPIOptions, type OpenAPISecurityOutput, type OperationOutput, type SchemaObject } from './builder.js'
import type { OpenAPIVersion, Requirement, SecuritySchemeObject } from '../types.js'

/** Options of `auth.mergeInto(document, options)`. */
export interface MergeOptions {
  /**
   * Requirements of operations, keyed `"METHOD /template"` (any method casing; the path exactly
   * as a key of `document.paths`), e.g. `{ 'GET /pets/{id}': [{ ApiKeyAuth: [] }] }`. Each named
   * operation gets this `security` unless it already has one, and the failure responses
   * (400/401/403/503) it does not already describe. Naming an operation the document does not
   * have is a config error. @default {} (only components and the document `security`)
   */
  operations?: Readonly<Record<string, Requirement>>
}

/** The merged document: the input's type, with the parts `mergeInto` guarantees. */
export type MergedDocument<D> = D & {
  components: { securitySchemes: Record<string, SecuritySchemeObject>; schemas: Record<string, SchemaObject> }
}

/** What `mergeInto` needs of an auth. */
export interface MergeSource {
  openapi(options?: OpenAPIOptions): OpenAPISecurityOutput
  operation(requirement?: Requirement, options?: OpenAPIOptions): OperationOutput
}

/** The HTTP methods an OpenAPI path item names (3.2 adds `query`). */
export const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'query'] as const

/** `"3.0.3"` → `"3.0"`; anything that is not OpenAPI 3.0, 3.1 or 3.2 is `undefined`. */
export function versionOf(openapi: unknown): OpenAPIVersion | undefined {
  if (typeof openapi !== 'string') return undefined
  const match = /^3\.([012])(?:\.\d+)?(?:-[\w.]+)?$/.exec(openapi.trim())
  return match === null ? undefined : (`3.${match[1]}` as OpenAPIVersion)
}

type Json = Record<string, unknown>

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function child(parent: Json, key: string): Json {
  const existing = parent[key]
  if (isObject(existing)) return existing
  const created: Json = {}
  parent[key] = created
  return created
}

/**
 * Add an auth's security to an existing OpenAPI 3.0/3.1/3.2 document, never overwriting what the
 * document already says: `components.securitySchemes` entries it lacks, the shared problem+json
 * schema (`components.schemas.AuthspecProblem`) unless one with that name exists, the document
 * `security` when it has none, and per operation (`options.operations`) the `security` and the
 * failure responses it lacks. Returns a new document; the input is not modified. A scheme the
 * document already declares under the same name keeps the document's definition.
 */
export function mergeInto<D extends object>(document: D, auth: MergeSource, options: MergeOptions = {}): MergedDocument<D> {
  if (!isObject(document)) throw configError('mergeInto: document must be an OpenAPI document object')
  const version = versionOf(document.openapi)
  if (version === undefined) {
    throw configError(`mergeInto: document.openapi must be a 3.0, 3.1 or 3.2 version, got ${JSON.stringify(document.openapi ?? document.swagger)}`)
  }
  const out = structuredClone(document) as Json
  const emitted = auth.openapi({ version })
  const components = child(out, 'components')
  const securitySchemes = child(components, 'securitySchemes')
  for (const [name, scheme] of Object.entries(emitted.components.securitySchemes)) {
    if (!Object.hasOwn(securitySchemes, name)) setOwn(securitySchemes, name, scheme)
  }
  const schemas = child(components, 'schemas')
  if (!Object.hasOwn(schemas, PROBLEM_SCHEMA_NAME)) schemas[PROBLEM_SCHEMA_NAME] = emitted.components.schemas[PROBLEM_SCHEMA_NAME]
  if (emitted.security !== undefined && !Object.hasOwn(out, 'security')) {
    out.security = emitted.security
    if (emitted[ROLES_EXTENSION] !== undefined) out[ROLES_EXTENSION] = emitted[ROLES_EXTENSION]
  }

  const problems: string[] = []
  const paths = isObject(out.paths) ? out.paths : undefined
  for (const [key, requirement] of Object.entries(options.operations ?? {})) {
    const match = /^\s*([A-Za-z]+)\s+(\S+)\s*$/.exec(key)
    if (match === null) {
      problems.push(`operation key ${JSON.stringify(key)} is not "METHOD /path"`)
      continue
    }
    const method = match[1]!.toLowerCase()
    const path = match[2]!
    const item = paths?.[path]
    const operation = isObject(item) ? item[method] : undefined
    if (!isObject(operation)) {
      problems.push(`the document has no operation ${method.toUpperCase()} ${path}`)
      continue
    }
    let produced: OperationOutput
    try {
      produced = auth.operation(requirement, { version })
    } catch (error) {
      problems.push(`${method.toUpperCase()} ${path}: ${(error as Error).message}`)
      continue
    }
    if (!Object.hasOwn(operation, 'security')) {
      operation.security = produced.security
      if (produced[ROLES_EXTENSION] !== undefined) operation[ROLES_EXTENSION] = produced[ROLES_EXTENSION]
    }
    const added = Object.entries(produced.responses)
    if (added.length === 0) continue
    const responses = child(operation, 'responses')
    for (const [status, response] of added) {
      if (!Object.hasOwn(responses, status)) setOwn(responses, status, response)
    }
  }
  if (problems.length > 0) throw configError(`mergeInto: ${problems.join('; ')}`)
  return out as MergedDocument<D>
}
