import type { Hono } from 'hono'
import { createMcpApp } from './app.js'

/** The Worker's bindings. */
export interface McpWorkerEnv {
  RESOURCE: string
  ISSUER: string
  JWKS_URL: string
}

let app: Hono | undefined

/** The MCP example as a Cloudflare Worker (module syntax, entrypoint `worker`); built on the first request from its bindings. */
export const worker = {
  fetch(request: Request, env: McpWorkerEnv, ctx: unknown): Response | Promise<Response> {
    app ??= createMcpApp({ resource: env.RESOURCE, issuer: env.ISSUER, jwksUri: env.JWKS_URL }).app
    return app.fetch(request, env, ctx as never)
  },
}
