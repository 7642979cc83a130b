import parseurl from 'parseurl'
import { mountPrefix, v4Alternatives, type Layer, type Route } from './route-pattern.js'

/**
 * Which route Express will dispatch a request to, found with the router's own machinery: each
 * layer's `match()` (so case-insensitivity, trailing slashes, `strict`, parameters are Express's),
 * the pathname from `parseurl` (Express's own parser, whose result the router caches on `req`), and
 * the router's prefix trimming for mounted routers. Nothing here reads the URL another way.
 */

/** Where a request goes. `pattern` is the route's full Express path (mounts included) when it is a string path. */
export type Target = { readonly kind: 'route'; readonly route: Route; readonly pattern: string | undefined } | { readonly kind: 'opaque'; readonly label: string }

/** The router stack of an app (Express 4 `_router`, Express 5 `router`) or of a router. */
export function stackOf(target: unknown): Layer[] | undefined {
  if (typeof target !== 'function' && (typeof target !== 'object' || target === null)) return undefined
  const t = target as { stack?: unknown; _router?: { stack?: unknown }; set?: unknown; handle?: unknown }
  if (Array.isArray(t.stack)) return t.stack as Layer[]
  if (t._router !== undefined) return t._router.stack as Layer[]
  if (typeof t.set === 'function' && typeof t.handle === 'function') {
    // Express 5 apps create their router lazily behind a getter; Express 4's getter throws.
    try {
      const router = (target as { router?: { stack?: unknown } }).router
      return router !== undefined && Array.isArray(router.stack) ? (router.stack as Layer[]) : []
    } catch {
      return [] // an Express 4 app with no route yet
    }
  }
  return undefined
}

/** The stack of a mounted `express.Router()` (a function with its own `stack`), not of an app. */
export function routerStack(handle: unknown): Layer[] | undefined {
  return typeof handle === 'function' && Array.isArray((handle as { stack?: unknown }).stack) ? ((handle as unknown as { stack: Layer[] }).stack) : undefined
}

/** A mounted Express app: the router only keeps a closure (`mounted_app`), its routes are out of sight. */
export function isMountedApp(layer: Layer): boolean {
  return layer.name === 'mounted_app' && routerStack(layer.handle) === undefined
}

export function handlesMethod(route: Route, method: string): boolean {
  return route._handlesMethod?.(method) ?? route._handles_method?.(method) ?? false
}

/** The `protocol://host` of an absolute-form target, as the router keeps it while trimming mounts. */
function protohostOf(url: string): string {
  if (url.length === 0 || url[0] === '/') return ''
  const search = url.indexOf('?')
  const fqdn = url.substring(0, search !== -1 ? search : url.length).indexOf('://')
  return fqdn !== -1 ? url.substring(0, url.indexOf('/', 3 + fqdn)) : ''
}

/** The pathname the router matches against, for a (possibly trimmed) `req.url`. */
export function pathnameOf(req: { url?: string }): string | undefined {
  try {
    return parseurl(req as never)?.pathname ?? undefined
  } catch {
    return undefined
  }
}

const v4Cache = new WeakMap<Layer, { pattern: string; regexp: RegExp }[] | null>()

/** The layer's own match: Express 5's router returns `{ path, pattern }`; Express 4's returns `true` and sets `layer.path`. */
function matchLayer(layer: Layer, path: string): { readonly path: string; readonly pattern?: unknown } | undefined {
  const m = layer.match!(path)
  if (m === false || m === undefined || m === null) return undefined
  // Express 5: the router's own result already has both (a non-string `pattern` is a RegExp path).
  if (typeof m === 'object') return m as { path: string; pattern?: unknown }
  const matched = layer.path ?? ''
  const routePath = layer.route?.path
  if (typeof routePath === 'string') return { path: matched, pattern: routePath }
  let alternatives = v4Cache.get(layer)
  if (alternatives === undefined) v4Cache.set(layer, (alternatives = v4Alternatives(layer, layer.route === undefined) ?? null))
  if (alternatives === null) return { path: matched, pattern: undefined }
  const index = alternatives.findIndex((a) => a.regexp.test(path))
  const raw = Array.isArray(routePath) && routePath.length === alternatives.length ? routePath[index] : alternatives[index]?.pattern
  return { path: matched, pattern: raw }
}

/**
 * The route the router dispatches `method url` to, from layer `from` of `stack` on; `skip` is
 * never matched; `visit` sees every plain middleware layer the request runs through on the way.
 */
export function findTarget(
  stack: readonly Layer[],
  from: number,
  url: string,
  method: string,
  skip: unknown,
  prefix = '',
  visit?: (layer: Layer) => void,
  walked?: Layer[][],
): Target | undefined {
  const path = pathnameOf({ url })
  return path === undefined ? undefined : findTargetAt(stack, from, url, path, method, skip, prefix, visit, walked)
}

/**
 * {@link findTarget} for a `url` whose router pathname is already known (at the top of the app,
 * `parseurl(req)`: the parse the router itself made and cached on the request). `walked`
 * receives every mounted router's stack the search went into.
 */
export function findTargetAt(
  stack: readonly Layer[],
  from: number,
  url: string,
  path: string,
  method: string,
  skip: unknown,
  prefix = '',
  visit?: (layer: Layer) => void,
  walked?: Layer[][],
): Target | undefined {
  const protohost = protohostOf(url)
  for (let i = from; i < stack.length; i++) {
    const layer = stack[i]!
    if (layer.handle === skip || typeof layer.match !== 'function') continue
    let m: ReturnType<typeof matchLayer>
    try {
      m = matchLayer(layer, path)
    } catch {
      return undefined // a bad percent-encoding: the router skips every route and answers 400
    }
    if (m === undefined) continue
    const pattern = typeof m.pattern === 'string' ? m.pattern : undefined
    const full = pattern === undefined ? undefined : prefix + (layer.route !== undefined ? pattern : mountPrefix(pattern))
    if (layer.route !== undefined) {
      if (handlesMethod(layer.route, method)) return { kind: 'route', route: layer.route, pattern: full }
      continue
    }
    const inner = routerStack(layer.handle)
    if (inner === undefined) {
      if (isMountedApp(layer)) return { kind: 'opaque', label: `an Express app mounted at ${full ?? '(a pattern)'}` }
      visit?.(layer)
      continue // plain middleware: it calls next() or answers itself
    }
    // The router's own prefix trimming, then the mounted router matches the rest.
    const trimmed = m.path
    if (trimmed.length > 0 && (path.slice(0, trimmed.length) !== trimmed || (path.length > trimmed.length && path[trimmed.length] !== '/'))) continue
    let innerUrl = protohost + url.slice(protohost.length + trimmed.length)
    if (protohost === '' && innerUrl[0] !== '/') innerUrl = `/${innerUrl}`
    walked?.push(inner)
    const found = findTarget(inner, 0, innerUrl, method, skip, full ?? '\u0000', visit, walked)
    if (found !== undefined) return found.kind === 'route' && full === undefined ? { ...found, pattern: undefined } : found
  }
  return undefined
}
