import { protectedResourceEndpoint, type Auth, type SchemeMap } from '@authspec/core'
import type { MiddlewareHandler } from 'hono'

/** Options of {@link protectedResource}. */
export interface ProtectedResourceOptions {
  /** `Cache-Control: public, max-age` of the document, in seconds. @default 3600 */
  maxAge?: number
}

/**
 * Hono middleware serving the auth's RFC 9728 protected-resource metadata (`createAuth({ resource })`)
 * at `/.well-known/oauth-protected-resource` and its path-inserted form
 * (`/.well-known/oauth-protected-resource/mcp` for the resource `https://host/mcp`): `GET`/`HEAD`
 * answer the JSON document, `OPTIONS` a CORS preflight; every other request goes on. Built once,
 * here: an auth without `resource` throws `ERR_AUTHSPEC_CONFIG` now.
 *
 * @example app.use(protectedResource(auth))
 */
export function protectedResource<S extends SchemeMap>(auth: Auth<S>, options: ProtectedResourceOptions = {}): MiddlewareHandler {
  const endpoint = protectedResourceEndpoint(auth, options)
  const paths = new Set(endpoint.paths)
  return async (c, next) => {
    if (!paths.has(c.req.path)) return next()
    const method = c.req.method
    if (method === 'GET') return c.body(endpoint.body, 200, endpoint.headers)
    if (method === 'HEAD') return c.body(null, 200, endpoint.headers)
    if (method === 'OPTIONS') {
      return c.body(null, 204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': '*', 'Access-Control-Max-Age': '86400' })
    }
    return next()
  }
}
