import { protectedResourceServer, type ProtectedResourceOptions } from '@authspec/core/adapter'
import type { Auth, SchemeMap } from '@authspec/core'
import type { RequestHandler } from 'express'

export type { ProtectedResourceOptions }

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
  const server = protectedResourceServer(auth, options)
  return (req, res, next) => {
    const answer = server.answer(req.path, req.method)
    if (answer === undefined) return next()
    res.status(answer.status).set(answer.headers)
    if (answer.status === 200) res.set('Content-Length', String(answer.length))
    res.end(answer.body)
  }
}
