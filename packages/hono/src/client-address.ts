import type { Context } from 'hono'

interface RuntimeEnv {
  /** @hono/node-server: the Node request. */
  incoming?: { socket?: { remoteAddress?: string } }
  /** Bun.serve: the server, as the fetch handler's second argument. */
  requestIP?: (request: Request) => { address?: string } | null
  /** Deno.serve: the handler info. */
  remoteAddr?: { hostname?: string }
}

/**
 * The client's address for failed-auth throttling (`ctx.client`), from what the runtime hands
 * the fetch handler: on Node, the socket's remote address (as @hono/node-server's `getConnInfo`
 * reads it); on Bun, `server.requestIP(request)`; on Deno, `info.remoteAddr.hostname`.
 * `undefined` on Workers, where the socket is Cloudflare's: behind Cloudflare give the throttle a
 * `client` function reading `CF-Connecting-IP` (only then is that header the client's).
 */
export function clientAddress(c: Context): string | undefined {
  const env = c.env as RuntimeEnv | undefined
  if (env === undefined || env === null || typeof env !== 'object') return undefined
  const node = env.incoming?.socket?.remoteAddress
  if (node !== undefined) return node
  if (typeof env.requestIP === 'function') return env.requestIP(c.req.raw)?.address ?? undefined
  const deno = env.remoteAddr?.hostname
  return typeof deno === 'string' ? deno : undefined
}
