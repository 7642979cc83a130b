/**
 * What Express's router stores about paths, read back as patterns: Express 5 layers keep the
 * path they were given (`rawPath`); Express 4 layers keep only a compiled regular expression, so
 * its simple forms (static segments, `:name` parameters, arrays of them) are recovered from it.
 */

/** A router layer, as both Express 4 (`router/layer.js`) and Express 5 (`router`) shape it. */
export interface Layer {
  handle?: unknown
  name?: string
  method?: string
  route?: Route
  rawPath?: unknown
  slash?: boolean
  regexp?: RegExp & { fast_slash?: boolean; fast_star?: boolean }
  keys?: { name: string | number }[]
  path?: string
  match?(path: string): unknown
}

export interface Route {
  path: unknown
  methods: Record<string, boolean>
  stack: Layer[]
  _handlesMethod?(method: string): boolean
  _handles_method?(method: string): boolean
}

const V4_MOUNT_END = '\\/?(?=\\/|$)'

/** Static segments and `:name` parameters back from one Express 4 alternative (`^\/a(?:\/([^/]+?))`). */
function fromV4Source(source: string, keys: readonly { name: string | number }[], offset: number): string | undefined {
  let key = offset
  const out = source
    .replace(/\(\?:\\\/\(\[\^\/\]\+\?\)\)/g, () => `/:${String(keys[key++]?.name ?? key)}`)
    .replace(/\\([/.\-~])/g, '$1')
  return /^[\w/.\-~:]*$/.test(out) ? out : undefined
}

/**
 * The patterns an Express 4 layer was created with, each with a regular expression that tells
 * whether it is the one that matched: `end` is `'$'` for routes, the mount look-ahead for `use`.
 * `undefined` when the regexp is not of the forms Express 4 compiles from plain string paths.
 */
export function v4Alternatives(layer: Layer, mount: boolean): { pattern: string; regexp: RegExp }[] | undefined {
  const regexp = layer.regexp
  if (regexp === undefined) return undefined
  if (regexp.fast_slash === true) return [{ pattern: '', regexp: /^/ }]
  const parts = regexp.source.split(/\|(?=\^)/)
  const out: { pattern: string; regexp: RegExp }[] = []
  let offset = 0
  for (const part of parts) {
    // Mounts end with a look-ahead; routes with `\/?$` (or `$` under strict routing).
    const end = mount ? V4_MOUNT_END : part.endsWith('\\/?$') ? '\\/?$' : '$'
    if (!part.startsWith('^') || !part.endsWith(end)) return undefined
    const pattern = fromV4Source(part.slice(1, -end.length), layer.keys ?? [], offset)
    if (pattern === undefined) return undefined
    offset += (pattern.match(/:/g) ?? []).length
    out.push({ pattern: mount && pattern === '/' ? '' : pattern, regexp: new RegExp(part, regexp.flags) })
  }
  return out
}

/** A mount path as a prefix: `/` → ``, a trailing `/` dropped. */
export function mountPrefix(path: string): string {
  return path === '/' ? '' : path.replace(/\/$/, '')
}
