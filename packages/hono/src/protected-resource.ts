import { protectedResourceServer, type ProtectedResourceOptions } from '@authspec/core/adapter'
import type { Auth, SchemeMap } from '@authspec/core'
import type { MiddlewareHandler } from 'hono'

export type { ProtectedResourceOptions }

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
  const server = protectedResourceServer(auth, options)
  return async (c, next) => {
    const answer = server.answer(c.req.path, c.req.method)
    if (answer === undefined) return next()
    return answer.body === undefined ? c.body(null, answer.status as 200, answer.headers) : c.body(answer.body, answer.status as 200, answer.headers)
  }
}
