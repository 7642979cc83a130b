import type { PathSyntax } from './route-template.js'

/**
 * Parameter values tried for each route: mixed, numeric, upper-case; for routers whose parameters
 * take regular expressions (Hono) also lower-case and multi-segment (for `{.+}`).
 */
const CANDIDATES: Record<PathSyntax, readonly string[]> = { braces: ['x1', '1', 'ABC', 'abc', 'a/b'], parentheses: ['x1', '1', 'ABC'] }
/** A parameter, with its own pattern when it has one. */
const PARAMETER: Record<PathSyntax, RegExp> = { braces: /:[^/]+?(\{.*?\})?(?=\/|$)/g, parentheses: /:\w+(\([^/]*\))?/g }

/** Concrete request paths for a route path: each parameter gets the same candidate value. */
export function samplePaths(path: string, syntax: PathSyntax): string[] {
  if (!path.includes(':')) return [path === '' ? '/' : path]
  return CANDIDATES[syntax].map((value) => path.replace(PARAMETER[syntax], value))
}

/** What one sample request of a route runs through before it: the guards; `'shadowed'` when another route answers it; `undefined` when the route does not answer it. */
export type SampleRun<G> = readonly G[] | 'shadowed' | undefined

/**
 * The guards that run for **every** request a route answers, found by running sample requests
 * ({@link samplePaths}) through the framework's own matching (`run`): those every sample the route
 * answers runs through, in the order of the first. So a guard that covers only some of a route's
 * requests (a narrower pattern) is not listed, and the document never claims what is not
 * enforced. `'shadowed'`: every sample the route fits is another route's; `undefined`: no sample
 * fits the route at all. `same` tells two guards apart (identity by default).
 */
export function guardsOnEverySample<G>(path: string, syntax: PathSyntax, run: (sample: string) => SampleRun<G>, same: (a: G, b: G) => boolean = Object.is): G[] | 'shadowed' | undefined {
  let common: G[] | undefined
  let shadowed = false
  for (const sample of samplePaths(path, syntax)) {
    const seen = run(sample)
    if (seen === 'shadowed') shadowed = true
    else if (seen !== undefined) common = common === undefined ? [...seen] : common.filter((guard) => seen.some((other) => same(guard, other)))
  }
  return common === undefined && shadowed ? 'shadowed' : common
}
