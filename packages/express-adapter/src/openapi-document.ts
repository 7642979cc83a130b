import type { Auth, OpenAPIVersion, OperationOutput, SchemeMap, SecuritySchemeObject } from '@authspec/core'
import { AuthspecError, allOf } from '@authspec/core'
import { guardOf, type GuardInfo } from './require-auth.js'
import { stackOf } from './router-match.js'

/** Options of {@link openapiDocument}. */
export interface OpenAPIDocumentOptions {
  /** OpenAPI `info`. @default { title: "API", version: "1.0.0" } */
  info?: { title: string; version: string; [key: string]: unknown }
  /** OpenAPI version of the document. @default "3.1" */
  version?: OpenAPIVersion
  /** Auths whose schemes appear in `components` even when no route uses them. */
  auths?: readonly Auth<SchemeMap>[]
}

/** An OpenAPI document: `openapi`, `info`, `paths`, and the auths' `components` (security schemes, problem schema). */
export interface OpenAPIDocument {
  openapi: string
  info: { title: string; version: string; [key: string]: unknown }
  paths: Record<string, Record<string, Record<string, unknown>>>
  components: { securitySchemes: Record<string, SecuritySchemeObject>; schemas?: Record<string, unknown>; [kind: string]: unknown }
}

interface Layer {
  handle?: unknown
  name?: string
  method?: string
  route?: { path: unknown; methods: Record<string, boolean>; stack: Layer[] }
  rawPath?: unknown
  regexp?: RegExp & { fast_slash?: boolean }
  keys?: { name: string | number }[]
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/** The path a middleware layer is mounted at ("" for "/"), or undefined when not a plain path. */
function mountPath(layer: Layer): string | undefined {
  if (typeof layer.rawPath === 'string') return layer.rawPath === '/' ? '' : layer.rawPath.replace(/\/$/, '')
  const regexp = layer.regexp
  if (regexp === undefined) return undefined
  if (regexp.fast_slash === true) return ''
  // Express 4 keeps only the regexp: recover static segments and `:name` parameters.
  let source = regexp.source
  if (!source.startsWith('^') || !source.endsWith('\\/?(?=\\/|$)')) return undefined
  source = source.slice(1, -'\\/?(?=\\/|$)'.length)
  let key = 0
  source = source.replace(/\(\?:\\\/\(\[\^\/\]\+\?\)\)/g, () => `/:${String(layer.keys?.[key++]?.name ?? key)}`)
  source = source.replace(/\\([/.\-~])/g, '$1')
  return /^[\w/.\-~:]*$/.test(source) ? source : undefined
}

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


interface Found {
  path: string
  method: string
  guards: GuardInfo[]
}

function walk(stack: Layer[], prefix: string, inherited: GuardInfo[], out: Found[]): void {
  const active: { path: string; guard: GuardInfo }[] = []
  const applying = (path: string): GuardInfo[] => [
    ...inherited,
    ...active.filter((a) => a.path === '' || path === a.path || path.startsWith(`${a.path}/`)).map((a) => a.guard),
  ]
  for (const layer of stack) {
    if (layer.route !== undefined) {
      const paths = Array.isArray(layer.route.path) ? (layer.route.path as unknown[]) : [layer.route.path]
      for (const path of paths) {
        if (typeof path !== 'string') continue
        const full = prefix + path
        for (const method of Object.keys(layer.route.methods)) {
          if (!METHODS.has(method) || layer.route.methods[method] !== true) continue
          const own = layer.route.stack.filter((l) => l.method === undefined || l.method === method).map((l) => guardOf(l.handle))
          out.push({ path: full, method, guards: [...applying(full), ...own.filter((g) => g !== undefined)] })
        }
      }
      continue
    }
    const mount = mountPath(layer)
    if (mount === undefined) continue
    const guard = guardOf(layer.handle)
    if (guard !== undefined) {
      active.push({ path: prefix + mount, guard })
      continue
    }
    const inner = stackOf(layer.handle)
    if (inner !== undefined && inner !== stack) walk(inner, prefix + mount, applying(prefix + mount), out)
  }
}

/**
 * An OpenAPI document built from an Express 4 or 5 app's (or router's) routes and the
 * `requireAuth` middlewares on them: each route's method and path (`:id` → `{id}`), its
 * `security` and its 400/401/403 responses, and the schemes in `components.securitySchemes`.
 * Guards mounted with `app.use([path,] requireAuth(…))` apply to the routes registered after
 * them. Routes with regular-expression paths are left out.
 */
export function openapiDocument(app: unknown, options: OpenAPIDocumentOptions = {}): OpenAPIDocument {
  const version = options.version ?? '3.1'
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'openapiDocument: expected an Express app or router')
  const found: Found[] = []
  walk(stack, '', [], found)

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
  for (const { path, method, guards } of found) {
    const parsed = toTemplate(path)
    if (parsed === undefined) continue
    const operation: Record<string, unknown> = {}
    if (parsed.params.length > 0) {
      operation.parameters = parsed.params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }))
    }
    let responses: OperationOutput['responses'] = {}
    if (guards.length > 0) {
      for (const guard of guards) addSchemes(guard.auth)
      const requirement = guards.map((g) => g.prepared.requirement).reduce((a, b) => allOf(a, b))
      const output = guards[0]!.auth.operation(requirement, { version })
      operation.security = output.security
      responses = output.responses
    }
    operation.responses = { '200': { description: 'Successful response' }, ...responses }
    const item = (paths[parsed.template] ??= {})
    item[method] ??= operation
  }
  return {
    openapi: version === '3.0' ? '3.0.3' : version === '3.1' ? '3.1.0' : '3.2.0',
    info: options.info ?? { title: 'API', version: '1.0.0' },
    paths,
    components: components as OpenAPIDocument['components'],
  }
}
