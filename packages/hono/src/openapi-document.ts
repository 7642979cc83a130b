import { AuthspecError, allOf, checkOptions, optionNames, type Auth, type OpenAPIVersion, type Requirement } from '@authspec/core'
import type { Hono } from 'hono'
import { guards, type GuardInfo } from './guard-registry.js'
import { GuardScope } from './guard-scope.js'
import { unwrap } from './route-binding.js'

type Security = Array<Record<string, string[]>>
type Json = Record<string, unknown>

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

/** The document {@link openapiDocument} returns. */
export interface OpenAPIDocument {
  openapi: string
  info: { title: string; version: string; [field: string]: unknown }
  servers?: Array<{ url: string; description?: string }>
  tags?: Array<{ name: string; description?: string }>
  paths: Record<string, Record<string, OpenAPIOperation>>
  components: Record<string, Record<string, unknown>>
  security?: Security
  [field: `x-${string}`]: unknown
}

/** Options of {@link openapiDocument}. */
export interface OpenAPIDocumentOptions {
  /** The document's `info` (`title` and `version` required). */
  info: OpenAPIDocument['info']
  /** OpenAPI version of the output. @default "3.1" */
  version?: OpenAPIVersion
  servers?: OpenAPIDocument['servers']
  tags?: OpenAPIDocument['tags']
  /**
   * Fields merged over each generated operation, keyed by `"GET /pets/{id}"` (OpenAPI path).
   * `responses` are merged status by status.
   */
  operations?: Record<string, Partial<OpenAPIOperation>>
  /** Leave a route out of the document (e.g. the docs pages themselves). */
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
/** `/pets/:id{[0-9]+}` → `/pets/{id}` and its path parameters. */
function toOpenAPIPath(path: string): { path: string; parameters: string[] } {
  const parameters: string[] = []
  const out = path.split('/').map((segment) => {
    const match = /^:([A-Za-z0-9_]+)/.exec(segment)
    if (match === null) return segment
    parameters.push(match[1]!)
    return `{${match[1]!}}`
  })
  return { path: out.join('/'), parameters }
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

/**
 * Build a whole OpenAPI document from a Hono app's routes: paths (`:id` → `{id}` with its path
 * parameter), methods, and for routes guarded by `requireAuth` (on the route or through
 * `app.use`) their `security` and 400/401/403 responses, with `components.securitySchemes`
 * from the same auths. Routes without a guard are emitted without `security` (public).
 */
export function openapiDocument(app: Pick<Hono, 'routes'>, options: OpenAPIDocumentOptions): OpenAPIDocument {
  if (options !== null && typeof options === 'object') checkOptions('openapiDocument', options, DOCUMENT_OPTIONS)
  const version = options.version ?? '3.1'
  const scope = new GuardScope(app.routes)
  const endpoints = new Map<string, { method: string; path: string; route: (typeof app.routes)[number] }>()
  for (const route of app.routes) {
    if (guards.has(unwrap(route.handler) as object)) continue
    // The last handler registered for a method and path is the route's own (earlier ones are middleware).
    if (METHODS.has(route.method) && !route.path.includes('*')) endpoints.set(`${route.method} ${route.path}`, { method: route.method, path: route.path, route })
  }

  const doc: OpenAPIDocument = { openapi: VERSIONS[version] ?? VERSIONS['3.1'], info: options.info, paths: {}, components: {} }
  if (options.servers !== undefined) doc.servers = options.servers
  if (options.tags !== undefined) doc.tags = options.tags
  if (options.security !== undefined) doc.security = options.security
  const auths = new Set<Auth>(options.auths ?? [])

  // Routes of one OpenAPI path and method (`/p/:id{[0-9]+}` and `/p/:id{[a-z]+}`) share an
  // operation: public when one of them is; else any of their requirements (OR).
  const operations = new Map<string, { method: string; path: string; routes: GuardInfo[][] }>()
  for (const { method, path, route } of endpoints.values()) {
    if (options.exclude?.(path, method) === true) continue
    const applied = scope.applied(route, method)
    if (applied === undefined) continue // every request of the route is answered by an earlier one
    const key = `${method} ${toOpenAPIPath(path).path}`
    const known = operations.get(key)
    if (known === undefined) operations.set(key, { method, path, routes: [applied] })
    else known.routes.push(applied)
  }

  for (const { method, path, routes } of operations.values()) {
    const { path: oaPath, parameters } = toOpenAPIPath(path)
    const operation: OpenAPIOperation = { responses: {} }
    if (parameters.length > 0) {
      operation.parameters = parameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
    }
    let security: Security | undefined
    if (routes.every((applied) => applied.length > 0)) {
      for (const applied of routes) {
        let own: Security | undefined
        for (const guard of applied) {
          auths.add(guard.auth)
          const out = guard.auth.operation(guard.prepared.requirement as Requirement, { version })
          own = own === undefined ? out.security : allOf(own, out.security)
          for (const [status, response] of Object.entries(out.responses)) operation.responses[status] ??= { ...response }
        }
        const seen = new Set((security ?? []).map((object) => JSON.stringify(object)))
        security = [...(security ?? []), ...own!.filter((object) => !seen.has(JSON.stringify(object)))]
      }
    }
    if (security !== undefined) operation.security = security
    else if (options.security !== undefined) operation.security = []
    const extra = options.operations?.[`${method} ${oaPath}`]
    if (extra !== undefined) {
      const { responses, ...fields } = extra
      Object.assign(operation, fields)
      if (responses !== undefined) Object.assign(operation.responses, responses)
    }
    if (!Object.keys(operation.responses).some((status) => status.startsWith('2') || status === 'default')) {
      operation.responses['200'] = { description: 'Successful response' }
    }
    operation.responses = Object.fromEntries(Object.entries(operation.responses).sort(([a], [b]) => a.localeCompare(b)))
    const item = (doc.paths[oaPath] ??= {})
    item[method.toLowerCase()] = operation
  }

  for (const auth of auths) mergeComponents(doc.components, auth.openapi({ version }).components)
  return doc
}
