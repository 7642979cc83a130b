import { buildDocument, routeTemplate, type DocumentRoute, type OpenAPIDocument, type OpenAPIDocumentOptions } from '@authspec/core/adapter'
import type { Hono } from 'hono'
import type { RouterRoute } from 'hono/types'
import { guards } from './guard-registry.js'
import { GuardScope } from './guard-scope.js'
import { unwrap } from './route-binding.js'

export type { OpenAPIDocument, OpenAPIDocumentOptions, OpenAPIOperation } from '@authspec/core/adapter'

/**
 * Build a whole OpenAPI document from a Hono app's routes: paths (`:id` → `{id}` with its path
 * parameter), methods, and for routes guarded by `requireAuth` (on the route or through
 * `app.use`) their `security` and 400/401/403 responses, with `components.securitySchemes`
 * from the same auths. Routes without a guard are emitted without `security` (public). Paths
 * OpenAPI cannot say (wildcards, optional parameters) are left out: `enforceOpenAPI` binds none.
 */
export function openapiDocument(app: Pick<Hono, 'routes'>, options: OpenAPIDocumentOptions = {}): OpenAPIDocument {
  const scope = new GuardScope(app.routes)
  // The last handler registered for a method and path is the route's own (earlier ones are middleware).
  const endpoints = new Map<string, RouterRoute>()
  for (const route of app.routes) {
    if (!guards.has(unwrap(route.handler) as object) && !route.path.includes('*')) endpoints.set(`${route.method} ${route.path}`, route)
  }
  const routes: DocumentRoute[] = []
  for (const route of endpoints.values()) {
    const parsed = routeTemplate(route.path, 'braces')
    if (parsed === undefined) continue
    const applied = scope.applied(route, route.method)
    if (applied !== undefined) routes.push({ method: route.method, path: route.path, ...parsed, guards: applied }) // else an earlier route answers every request
  }
  return buildDocument(routes, options)
}
