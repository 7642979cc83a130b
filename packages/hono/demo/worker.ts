import type { JwtAlgorithm } from '@authspec/core/schemes'
import type { Hono } from 'hono'
import { createDemoApp, type DemoBindings } from './app.js'

/** The Worker's bindings: the demo secrets plus where JWT keys come from. */
export interface WorkerEnv extends DemoBindings {
  /** JWKS of the JWT issuer (RS256); or… */
  JWKS_URL?: string
  /** …an HS256 secret. */
  JWT_SECRET?: string
  JWT_ISSUER: string
  JWT_AUDIENCE: string
  /** The Worker's public URL, as an OAuth protected resource (RFC 9728 metadata, `resource_metadata` in challenges). */
  RESOURCE?: string
}

let app: Hono<{ Bindings: DemoBindings }> | undefined

function build(env: WorkerEnv): Hono<{ Bindings: DemoBindings }> {
  const algorithms: JwtAlgorithm[] = env.JWKS_URL === undefined ? ['HS256'] : ['RS256']
  const jwt =
    env.JWKS_URL !== undefined ? { algorithms, jwksUri: env.JWKS_URL } : env.JWT_SECRET !== undefined ? { algorithms, secret: env.JWT_SECRET } : undefined
  if (jwt === undefined) throw new Error('set JWKS_URL or JWT_SECRET')
  return createDemoApp({ jwt, issuer: env.JWT_ISSUER, audience: env.JWT_AUDIENCE, ...(env.RESOURCE === undefined ? {} : { resource: env.RESOURCE }) }).app
}

/**
 * The demo as a Cloudflare Worker (module syntax, served as the named entrypoint `worker`).
 * Secrets come from env bindings: the verifiers read them from `ctx.env` on each request, and
 * the JWT key source is read once, when the first request builds the app.
 */
export const worker = {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    app ??= build(env)
    return app.fetch(request, env, ctx as never)
  },
}
