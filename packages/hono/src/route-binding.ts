import { routeTemplate, type BindableRoute } from '@authspec/core/adapter'
import type { RouterRoute } from 'hono/types'
import { guards } from './guard-registry.js'

/** Marks the middleware created by `enforceOpenAPI`, so that it never binds to itself. */
export const enforcers = new WeakSet<object>()

const COMPOSED_HANDLER = '__COMPOSED_HANDLER'

/** Follow `app.route()` wrappers back to the function the user registered. */
export function unwrap(handler: unknown): unknown {
  let current = handler
  while (typeof current === 'function' && COMPOSED_HANDLER in current) current = (current as unknown as Record<string, unknown>)[COMPOSED_HANDLER]
  return current
}

/**
 * Middleware rather than a route: `requireAuth` guards, `enforceOpenAPI` itself, and
 * `app.use()` with a wildcard path (`*`, `/admin/*`). Every other route (a method, or `all()`,
 * or `use()` on an exact path) is a route that must implement an operation of the document.
 */
export function isMiddleware(route: RouterRoute): boolean {
  const handler = unwrap(route.handler) as object
  if (enforcers.has(handler) || guards.has(handler)) return true
  return route.method === 'ALL' && route.path.endsWith('*')
}

/** A Hono route as the core binds it to the document's operations. */
export function bindable(route: RouterRoute): BindableRoute {
  return { path: route.path, template: routeTemplate(route.path, 'braces')?.template, methods: route.method === 'ALL' ? 'ALL' : [route.method], display: route.path }
}
