import type { Auth, OpenAPIVersion, SchemeMap, SecuritySchemeObject } from '@authspec/core'
import { AuthspecError, allOf, checkOptions, optionNames } from '@authspec/core'
import { guardsFor } from './guard-scope.js'
import type { Route } from './route-pattern.js'
import { listRoutes } from './route-list.js'
import { routeMethods } from './route-binding.js'
import { stackOf } from './router-match.js'

/** Options of {@link openapiDocument}. */
export interface OpenAPIDocumentOptions {
  /** OpenAPI `info`. @default { title: "API", version: "1.0.0" } */
  info?: { title: string; version: string; [key: string]: unknown }
  /** OpenAPI version of the document. @default "3.1" */
  version?: OpenAPIVersion
  /** Auths whose schemes appear in `components` even when no route uses them. */
  auths?: readonly Auth<SchemeMap>[]
  /** The document's `servers`. */
  servers?: Array<{ url: string; description?: string }>
  /**
   * Fields merged over each generated operation, keyed by `"GET /pets/{id}"` (OpenAPI path).
   * `responses` are merged status by status; when they declare a success (`2XX` or `default`),
   * no `200` is added.
   */
  operations?: Record<string, Record<string, unknown>>
  /** Leave a route out of the document (e.g. the docs pages themselves); `path` as registered. */
  exclude?: (path: string, method: string) => boolean
  /**
   * The document's default `security`. Operations without a guard then get an explicit
   * `security: []`, so the document never claims a public route is protected.
   */
  security?: Array<Record<string, string[]>>
}

/** An OpenAPI document: `openapi`, `info`, `paths`, and the auths' `components` (security schemes, problem schema). */
export interface OpenAPIDocument {
  openapi: string
  info: { title: string; version: string; [key: string]: unknown }
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: { securitySchemes: Record<string, SecuritySchemeObject>; schemas?: Record<string, unknown>; [kind: string]: unknown }
  servers?: Array<{ url: string; description?: string }>
  security?: Array<Record<string, string[]>>
}

const DOCUMENT_OPTIONS = optionNames<OpenAPIDocumentOptions>()('info', 'version', 'auths', 'servers', 'operations', 'exclude', 'security')
const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])
/** The same version strings as `@authspec/hono`'s `openapiDocument`. */
const VERSIONS: Record<OpenAPIVersion, string> = { '3.0': '3.0.3', '3.1': '3.1.1', '3.2': '3.2.0' }

/** `/pets/:id` → `/pets/{id}` with its parameter names; undefined for patterns OpenAPI cannot express. */
function toTemplate(path: string): { template: string; params: string[] } | undefined {
  const params: string[] = []
  const template = path.replace(/[:*](\w+)/g, (_, name: string) => {
    params.push(name)
    return `{${name}}`
  })
  if (/[()[\]?+*!]/.test(template) || /\{(?!\w+\})/.test(template)) return undefined
  return { template: template.length > 1 ? template.replace(/\/$/, '') : template, params }
}


/**
 * An OpenAPI document built from an Express 4 or 5 app's (or router's) routes and the
 * `requireAuth` middlewares on them: each route's method and path (`:id` → `{id}`), its
 * `security` and its 400/401/403 responses, and the schemes in `components.securitySchemes`.
 * Guards mounted with `app.use([path,] requireAuth(…))` apply to the routes registered after
 * them. Routes with regular-expression paths are left out.
 */
export function openapiDocument(app: unknown, options: OpenAPIDocumentOptions = {}): OpenAPIDocument {
  if (options !== null && typeof options === 'object') checkOptions('openapiDocument', options, DOCUMENT_OPTIONS)
  const version = options.version ?? '3.1'
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'openapiDocument: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  listRoutes(stack, '', found, [])

  const components: Record<string, Record<string, unknown>> = { securitySchemes: {} }
  const added = new Set<Auth<SchemeMap>>()
  const addSchemes = (auth: Auth<SchemeMap>): void => {
    if (added.has(auth)) return
    added.add(auth)
    for (const [kind, entries] of Object.entries(auth.openapi({ version }).components as Record<string, Record<string, unknown>>)) {
      const target = (components[kind] ??= {})
      for (const [name, value] of Object.entries(entries)) {
        // Own keys only: a scheme named `constructor` or `__proto__` is a name like any other.
        const known = Object.hasOwn(target, name) ? target[name] : undefined
        if (known !== undefined && JSON.stringify(known) !== JSON.stringify(value)) {
          throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `openapiDocument: two auths define different components.${kind}.${name}`)
        }
        Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true })
      }
    }
  }
  for (const auth of options.auths ?? []) addSchemes(auth)

  const paths: OpenAPIDocument['paths'] = {}
  for (const { route, pattern } of found) {
    if (pattern === undefined) continue
    const parsed = toTemplate(pattern)
    if (parsed === undefined) continue
    for (const upper of routeMethods(route)) {
      const method = upper.toLowerCase()
      if (!METHODS.has(method) || options.exclude?.(pattern, method.toUpperCase()) === true) continue
      if (paths[parsed.template]?.[method] !== undefined) continue // an earlier route answers first
      const guards = guardsFor(stack, pattern, method)
      const operation: Record<string, unknown> = {}
      if (parsed.params.length > 0) {
        operation.parameters = parsed.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
      }
      let responses: Record<string, unknown> = {}
      if (guards.length > 0) {
        for (const guard of guards) addSchemes(guard.auth)
        const requirement = guards.map((g) => g.prepared.requirement).reduce((a, b) => allOf(a, b))
        const output = guards[0]!.auth.operation(requirement, { version })
        if (output.security.length > 0 || options.security !== undefined) operation.security = output.security
        responses = { ...output.responses }
      } else if (options.security !== undefined) operation.security = []
      const extra = options.operations?.[`${upper} ${parsed.template}`]
      if (extra !== undefined) {
        const { responses: declared, ...fields } = extra as { responses?: Record<string, unknown> }
        Object.assign(operation, fields)
        if (declared !== undefined) Object.assign(responses, declared)
      }
      if (!Object.keys(responses).some((status) => /^2|^default$/i.test(status))) responses['200'] = { description: 'Successful response' }
      operation.responses = Object.fromEntries(Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)))
      ;(paths[parsed.template] ??= {})[method] = operation
    }
  }
  const document: OpenAPIDocument = {
    openapi: VERSIONS[version] ?? VERSIONS['3.1'],
    info: options.info ?? { title: 'API', version: '1.0.0' },
    paths,
    components: components as OpenAPIDocument['components'],
  }
  if (options.servers !== undefined) document.servers = options.servers
  if (options.security !== undefined) document.security = options.security
  return document
}
