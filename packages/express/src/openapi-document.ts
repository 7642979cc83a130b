import { buildDocument, checkDocumentOptions, type DocumentRoute, type OpenAPIDocument, type OpenAPIDocumentOptions } from '@authspec/core/adapter'
import { AuthspecError } from '@authspec/core'
import { guardsFor } from './guard-scope.js'
import type { Route } from './route-pattern.js'
import { listRoutes } from './route-list.js'
import { routeMethods } from './route-binding.js'
import { stackOf } from './router-match.js'

export type { OpenAPIDocument, OpenAPIDocumentOptions, OpenAPIOperation } from '@authspec/core/adapter'

/** `/pets/:id` → `/pets/{id}` with its parameter names; undefined for patterns OpenAPI cannot express. */
function toTemplate(path: string): { template: string; parameters: string[] } | undefined {
  const parameters: string[] = []
  const template = path.replace(/[:*](\w+)/g, (_, name: string) => {
    parameters.push(name)
    return `{${name}}`
  })
  if (/[()[\]?+*!]/.test(template) || /\{(?!\w+\})/.test(template)) return undefined
  return { template: template.length > 1 ? template.replace(/\/$/, '') : template, parameters }
}

/**
 * An OpenAPI document built from an Express 4 or 5 app's (or router's) routes and the
 * `requireAuth` middlewares on them: each route's method and path (`:id` → `{id}`), its
 * `security` and its 400/401/403 responses, and the schemes in `components.securitySchemes`.
 * Guards mounted with `app.use([path,] requireAuth(…))` apply to the routes registered after
 * them. Routes with regular-expression paths are left out; of two routes with one method and
 * path, the first (the one Express dispatches to) is documented.
 */
export function openapiDocument(app: unknown, options: OpenAPIDocumentOptions = {}): OpenAPIDocument {
  checkDocumentOptions(options)
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'openapiDocument: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  listRoutes(stack, '', found, [])
  const routes: DocumentRoute[] = []
  for (const { route, pattern } of found) {
    const parsed = pattern === undefined ? undefined : toTemplate(pattern)
    if (parsed === undefined) continue
    for (const method of routeMethods(route)) {
      if (method !== 'ALL') routes.push({ method, path: pattern!, ...parsed, guards: guardsFor(stack, pattern!, method.toLowerCase()) })
    }
  }
  return buildDocument(routes, options, 'first')
}
