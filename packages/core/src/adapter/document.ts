import { allOf } from '../all-of.js'
import type { Auth } from '../create-auth.js'
import { AuthspecError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { PreparedRequirement } from '../requirement.js'
import type { OpenAPIVersion, Requirement, SecuritySchemeObject } from '../types.js'

type Security = Array<Record<string, string[]>>
type Json = Record<string, unknown>

/** A guard that runs before a route's handler: its auth and prepared requirement. */
export interface RouteGuard {
  readonly auth: Auth
  readonly prepared: PreparedRequirement
}

/** One route of an app, as an adapter finds it. */
export interface DocumentRoute {
  /** Upper-case HTTP method. */
  readonly method: string
  /** The path as registered (`/pets/:id`), given to `exclude`. */
  readonly path: string
  /** The OpenAPI path template (`/pets/{id}`). */
  readonly template: string
  /** The template's path parameters, in order. */
  readonly parameters: readonly string[]
  /** The guards every request of the route passes, in order; none: a public route. */
  readonly guards: readonly RouteGuard[]
}

/** An OpenAPI Operation Object, as emitted (extra fields pass through). */
export interface OpenAPIOperation {
  summary?: string
  description?: string
  operationId?: string
  tags?: string[]
  parameters?: Json[]
  requestBody?: Json
  responses: Record<string, Json>
  security?: Security
  [field: string]: unknown
}

/** The document an adapter's `openapiDocument` returns. */
export interface OpenAPIDocument {
  openapi: string
  info: { title: string; version: string; [field: string]: unknown }
  servers?: Array<{ url: string; description?: string }>
  tags?: Array<{ name: string; description?: string }>
  paths: Record<string, Record<string, OpenAPIOperation>>
  /** `securitySchemes` (always present, perhaps empty), the problem schema and what else the auths emit. */
  components: { securitySchemes: Record<string, SecuritySchemeObject>; [section: string]: Record<string, unknown> }
  security?: Security
  [field: `x-${string}`]: unknown
}

/** Options of an adapter's `openapiDocument`. */
export interface OpenAPIDocumentOptions {
  /** The document's `info`. @default { title: "API", version: "1.0.0" } */
  info?: OpenAPIDocument['info']
  /** OpenAPI version of the output. @default "3.1" */
  version?: OpenAPIVersion
  servers?: OpenAPIDocument['servers']
  tags?: OpenAPIDocument['tags']
  /**
   * Fields merged over each generated operation, keyed by `"GET /pets/{id}"` (OpenAPI path).
   * `responses` are merged status by status; when they declare a success (`2XX` or `default`),
   * no `200` is added.
   */
  operations?: Record<string, Partial<OpenAPIOperation>>
  /** Leave a route out of the document (e.g. the docs pages themselves); `path` as registered. */
  exclude?: (path: string, method: string) => boolean
  /** Auths whose schemes are emitted even when no route uses them. */
  auths?: readonly Auth[]
  /**
   * The document's default `security`. Operations without a guard then get an explicit
   * `security: []`, so the document never claims a public route is protected.
   */
  security?: Security
}

const DOCUMENT_OPTIONS = optionNames<OpenAPIDocumentOptions>()('info', 'version', 'servers', 'tags', 'operations', 'exclude', 'auths', 'security')
const VERSIONS: Record<OpenAPIVersion, string> = { '3.0': '3.0.3', '3.1': '3.1.1', '3.2': '3.2.0' }
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'])

/** Check `openapiDocument`'s options now (unknown names are config errors, with the nearest name); `adapterOptions`: names an adapter adds. */
export function checkDocumentOptions(options: OpenAPIDocumentOptions, adapterOptions: readonly string[] = []): void {
  if (options !== null && typeof options === 'object') checkOptions('openapiDocument', options, adapterOptions.length === 0 ? DOCUMENT_OPTIONS : [...DOCUMENT_OPTIONS, ...adapterOptions])
}

function mergeComponents(target: OpenAPIDocument['components'], source: Record<string, unknown>): void {
  for (const [section, entries] of Object.entries(source)) {
    if (entries === null || typeof entries !== 'object') continue
    const into = (target[section] ??= {})
    for (const [name, value] of Object.entries(entries)) {
      // Own keys only: a scheme named `constructor` or `__proto__` is a name like any other.
      if (Object.hasOwn(into, name) && JSON.stringify(into[name]) !== JSON.stringify(value)) {
        throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `openapiDocument: two auths define components.${section}.${name} differently`)
      }
      Object.defineProperty(into, name, { value, enumerable: true, writable: true, configurable: true })
    }
  }
}

/** The security (OR of each route's AND of its guards) and responses of one operation's routes. */
function securityOf(routes: readonly DocumentRoute[], version: OpenAPIVersion, auths: Set<Auth>, responses: OpenAPIOperation['responses']): Security | undefined {
  // Public when any route of the operation is.
  if (routes.some((route) => route.guards.length === 0)) return undefined
  const security: Security = []
  const seen = new Set<string>()
  for (const route of routes) {
    let own: Security | undefined
    for (const guard of route.guards) {
      auths.add(guard.auth)
      const out = guard.auth.operation(guard.prepared.requirement as Requirement, { version })
      own = own === undefined ? out.security : allOf(own, out.security)
      for (const [status, response] of Object.entries(out.responses)) responses[status] ??= { ...response }
    }
    for (const object of own!) {
      const key = JSON.stringify(object)
      if (seen.has(key)) continue
      seen.add(key)
      security.push(object)
    }
  }
  return security
}

function operationOf(routes: readonly DocumentRoute[], options: OpenAPIDocumentOptions, version: OpenAPIVersion, auths: Set<Auth>): OpenAPIOperation {
  const { method, template, parameters } = routes[0]!
  const operation: OpenAPIOperation = { responses: {} }
  if (parameters.length > 0) operation.parameters = parameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
  const security = securityOf(routes, version, auths, operation.responses)
  if (security !== undefined) operation.security = security
  else if (options.security !== undefined) operation.security = []
  const extra = options.operations?.[`${method} ${template}`]
  if (extra !== undefined) {
    const { responses, ...fields } = extra
    Object.assign(operation, fields)
    if (responses !== undefined) Object.assign(operation.responses, responses)
  }
  if (!Object.keys(operation.responses).some((status) => /^2|^default$/i.test(status))) operation.responses['200'] = { description: 'Successful response' }
  operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)))
  return operation
}

/**
 * The OpenAPI document of an app's routes: one operation per method and template (routes that
 * share both are alternatives: public when one is, else any of their requirements), path
 * parameters, `security` and the failure responses from each route's guards, and the schemes
 * of every auth used in `components`. `sameOperation: 'first'`: for routers where the first
 * matching route answers (Express), later routes of the same method and template are shadowed. Both adapters build their documents here, so they agree.
 */
export function buildDocument(routes: Iterable<DocumentRoute>, options: OpenAPIDocumentOptions = {}, sameOperation: 'alternatives' | 'first' = 'alternatives'): OpenAPIDocument {
  checkDocumentOptions(options)
  const version = options.version ?? '3.1'
  const grouped = new Map<string, DocumentRoute[]>()
  for (const route of routes) {
    if (!METHODS.has(route.method) || options.exclude?.(route.path, route.method) === true) continue
    const key = `${route.method} ${route.template}`
    const known = grouped.get(key)
    if (known === undefined) grouped.set(key, [route])
    else if (sameOperation === 'alternatives') known.push(route)
  }
  const doc: OpenAPIDocument = { openapi: VERSIONS[version] ?? VERSIONS['3.1'], info: options.info ?? { title: 'API', version: '1.0.0' }, paths: {}, components: { securitySchemes: {} } }
  if (options.servers !== undefined) doc.servers = options.servers
  if (options.tags !== undefined) doc.tags = options.tags
  if (options.security !== undefined) doc.security = options.security
  const auths = new Set<Auth>(options.auths ?? [])
  for (const group of grouped.values()) {
    const { method, template } = group[0]!
    ;(doc.paths[template] ??= {})[method.toLowerCase()] = operationOf(group, options, version, auths)
  }
  for (const auth of auths) mergeComponents(doc.components, auth.openapi({ version }).components)
  return doc
}
