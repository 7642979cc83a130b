import { mountPrefix, v4Alternatives, type Layer, type Route } from './route-pattern.js'
import { isMountedApp, routerStack } from './router-match.js'

/** The string patterns of a layer (a route's paths, or a mount's), `undefined` where one is not a string. */
function patternsOf(layer: Layer): (string | undefined)[] {
  if (layer.route !== undefined) {
    const path = layer.route.path
    return (Array.isArray(path) ? (path.flat(Infinity) as unknown[]) : [path]).map((p) => (typeof p === 'string' ? p : undefined))
  }
  if (layer.rawPath !== undefined) {
    const raw = layer.rawPath
    return (Array.isArray(raw) ? (raw as unknown[]) : [raw]).map((p) => (typeof p === 'string' ? mountPrefix(p) : undefined))
  }
  return v4Alternatives(layer, true)?.map((a) => a.pattern) ?? [undefined]
}

/** Every route of a stack with its full pattern (mounted routers included); mounted Express apps go to `opaque`. */
export function listRoutes(stack: readonly Layer[], prefix: string | undefined, out: { route: Route; pattern: string | undefined }[], opaque: string[]): void {
  for (const layer of stack) {
    for (const pattern of patternsOf(layer)) {
      const full = prefix === undefined || pattern === undefined ? undefined : prefix + pattern
      if (layer.route !== undefined) out.push({ route: layer.route, pattern: full })
      else if (isMountedApp(layer)) opaque.push(`an Express app mounted at ${full ?? '(a pattern)'}`)
      else {
        const inner = routerStack(layer.handle)
        if (inner !== undefined && inner !== stack) listRoutes(inner, full, out, opaque)
      }
    }
  }
}

