import { AuthspecError, allOf, type Auth, type OpenAPIVersion, type Requirement } from '@authspec/core'
import type { Hono } from 'hono'
import { guards, type GuardInfo } from './guard-registry.js'

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
}

const VERSIONS: Record<OpenAPIVersion, string> = { '3.0': '3.0.3', '3.1': '3.1.1', '3.2': '3.2.0' }
const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'])
const COMPOSED_HANDLER = '__COMPOSED_HANDLER'

interface Rule {
  readonly index: number
  readonly method: string
  readonly pattern: RegExp
  readonly guard: GuardInfo
}

/** Follow `app.route()` wrappers back to the function the user registered. */
function unwrap(handler: unknown): unknown {
  let current = handler
  while (typeof current === 'function' && COMPOSED_HANDLER in current) current = (current as unknown as Record<string, unknown>)[COMPOSED_HANDLER]
  return current
}

/** A Hono route path as a regex that also matches other route paths (`:id` matches `:id`). */
function compilePattern(path: string): RegExp {
  let source = ''
  const rest = path.endsWith('/*') ? path.slice(0, -2) : path
  for (const segment of rest.split('/').slice(1)) {
    if (segment.startsWith(':')) source += '/[^/]+'
    else source += '/' + segment.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  }
  if (path === '*' || path === '/*') return /^.*$/
  return new RegExp(`^${source}${path.endsWith('/*') ? '(?:/.*)?' : ''}/?$`)
}

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
  const version = options.version ?? '3.1'
  const rules: Rule[] = []
  const endpoints = new Map<string, { method: string; path: string; index: number }>()
  for (const [index, route] of app.routes.entries()) {
    const guard = guards.get(unwrap(route.handler) as object)
    if (guard !== undefined) {
      rules.push({ index, method: route.method, pattern: compilePattern(route.path), guard })
    } else if (METHODS.has(route.method) && !route.path.includes('*')) {
      const key = `${route.method} ${route.path}`
      endpoints.set(key, { method: route.method, path: route.path, index })
    }
  }

  const doc: OpenAPIDocument = { openapi: VERSIONS[version] ?? VERSIONS['3.1'], info: options.info, paths: {}, components: {} }
  if (options.servers !== undefined) doc.servers = options.servers
  if (options.tags !== undefined) doc.tags = options.tags
  const auths = new Set<Auth>(options.auths ?? [])

  for (const { method, path, index } of endpoints.values()) {
    if (options.exclude?.(path, method) === true) continue
    const applied = rules.filter((rule) => rule.index < index && (rule.method === 'ALL' || rule.method === method) && rule.pattern.test(path))
    const { path: oaPath, parameters } = toOpenAPIPath(path)
    const operation: OpenAPIOperation = { responses: {} }
    if (parameters.length > 0) {
      operation.parameters = parameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
    }
    let security: Security | undefined
    for (const { guard } of applied) {
      auths.add(guard.auth)
      const out = guard.auth.operation(guard.prepared.requirement as Requirement, { version })
      security = security === undefined ? out.security : allOf(security, out.security)
      for (const [status, response] of Object.entries(out.responses)) operation.responses[status] ??= { ...response }
    }
    if (security !== undefined) operation.security = security
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
