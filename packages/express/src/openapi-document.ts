import { buildDocument, checkDocumentOptions, routeTemplate, type DocumentRoute, type OpenAPIDocument, type OpenAPIDocumentOptions as CoreDocumentOptions } from '@authspec/core/adapter'
import { AuthspecError } from '@authspec/core'
import { guardsFor } from './guard-scope.js'
import type { Route } from './route-pattern.js'
import { listRoutes } from './route-list.js'
import { routeMethods } from './route-binding.js'
import { stackOf } from './router-match.js'

export type { OpenAPIDocument, OpenAPIOperation } from '@authspec/core/adapter'

/** Options of {@link openapiDocument}. */
export interface OpenAPIDocumentOptions extends CoreDocumentOptions {
  /**
   * What to do with an Express app mounted inside this one (`app.use('/v1', subApp)`): the router
   * keeps only a closure for it, so its routes cannot be listed. `'error'` throws
   * `ERR_AUTHSPEC_CONFIG` naming each (mount an `express.Router()` instead, or document the
   * sub-app with its own `openapiDocument`), so the document never silently leaves routes out;
   * `'omit'` leaves them out. @default "error"
   */
  mountedApps?: 'error' | 'omit'
}

/**
 * An OpenAPI document built from an Express 4 or 5 app's (or router's) routes and the
 * `requireAuth` middlewares on them: each route's method and path (`:id` → `{id}`), its
 * `security` and its 400/401/403 responses, and the schemes in `components.securitySchemes`.
 * Guards mounted with `app.use([path,] requireAuth(…))` apply to the routes registered after
 * them. Routes with regular-expression paths are left out; of two routes with one method and
 * path, the first (the one Express dispatches to) is documented. A mounted Express app is a
 * config error unless `mountedApps: 'omit'` (its routes cannot be listed).
 */
export function openapiDocument(app: unknown, options: OpenAPIDocumentOptions = {}): OpenAPIDocument {
  checkDocumentOptions(options, ['mountedApps'])
  const { mountedApps = 'error', ...documentOptions } = options
  if (mountedApps !== 'error' && mountedApps !== 'omit') throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'openapiDocument: mountedApps must be "error" or "omit"')
  const stack = stackOf(app)
  if (stack === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'openapiDocument: expected an Express app or router')
  const found: { route: Route; pattern: string | undefined }[] = []
  const opaque: string[] = []
  listRoutes(stack, '', found, opaque)
  if (opaque.length > 0 && mountedApps === 'error') {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `openapiDocument: ${opaque.join('; ')}: its routes cannot be listed, so they would be missing from the document. Mount an express.Router() instead, document it with its own openapiDocument, or pass mountedApps: 'omit'`)
  }
  const routes: DocumentRoute[] = []
  for (const { route, pattern } of found) {
    const parsed = pattern === undefined ? undefined : routeTemplate(pattern, 'parentheses')
    if (parsed === undefined) continue
    for (const method of routeMethods(route)) {
      if (method !== 'ALL') routes.push({ method, path: pattern!, ...parsed, guards: guardsFor(stack, pattern!, method.toLowerCase()) })
    }
  }
  return buildDocument(routes, documentOptions, 'first')
}
