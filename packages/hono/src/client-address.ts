import type { Context } from 'hono'

/**
 * The client's address for failed-auth throttling (`ctx.client`): on Node, the socket's remote
 * address, as @hono/node-server's `getConnInfo` reads it; `undefined` elsewhere (give the
 * throttle a `client` function, e.g. `CF-Connecting-IP` on Workers).
 */
export function clientAddress(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress
}
