import { protectedResourceEndpoint, type Auth, type SchemeMap } from '@authspec/core'
import type { RequestHandler } from 'express'

/** Options of {@link protectedResource}. */
export interface ProtectedResourceOptions {
  /** `Cache-Control: public, max-age` of the document, in seconds. @default 3600 */
  maxAge?: number
}

/**
 * Express middleware serving the auth's RFC 9728 protected-resource metadata (`createAuth({ resource })`)
 * at `/.well-known/oauth-protected-resource` and its path-inserted form
 * (`/.well-known/oauth-protected-resource/mcp` for the resource `https://host/mcp`): `GET`/`HEAD`
 * answer the JSON document, `OPTIONS` a CORS preflight; every other request goes on. Mount it
 * at the application root. An auth without `resource` throws `ERR_AUTHSPEC_CONFIG` now.
 *
 * @example app.use(protectedResource(auth))
 */
export function protectedResource<S extends SchemeMap>(auth: Auth<S>, options: ProtectedResourceOptions = {}): RequestHandler {
  const endpoint = protectedResourceEndpoint(auth, options)
  const paths = new Set(endpoint.paths)
  const length = String(Buffer.byteLength(endpoint.body))
  return (req, res, next) => {
    if (!paths.has(req.path)) return next()
    if (req.method === 'GET' || req.method === 'HEAD') {
      res.status(200).set(endpoint.headers).set('Content-Length', length)
      res.end(req.method === 'HEAD' ? undefined : endpoint.body)
      return
    }
    if (req.method === 'OPTIONS') {
      res.status(204).set({ 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': '*', 'Access-Control-Max-Age': '86400' }).end()
      return
    }
    next()
  }
}
