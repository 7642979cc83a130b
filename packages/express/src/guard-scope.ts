import { guardsOnEverySample } from '@authspec/core/adapter'
import type { Layer } from './route-pattern.js'
import { guardOf, type GuardInfo } from './require-auth.js'
import { findTarget } from './router-match.js'

/**
 * The guards (`requireAuth` middleware and route guards) that run for **every** request a route
 * answers, found with the router's own matching: each sample request is dispatched through the
 * app's stack (layers' `match()`, mounted routers' prefix trimming); the guards it runs through
 * before reaching this route are kept when every sample the route answers runs through them. A
 * `router.use(guard)` also guards the sibling routes after the router that its prefix reaches.
 */
export function guardsFor(stack: readonly Layer[], pattern: string, method: string): GuardInfo[] {
  const common = guardsOnEverySample(pattern, 'parentheses', (url) => {
    const seen: GuardInfo[] = []
    const target = findTarget(stack, 0, url, method.toUpperCase(), undefined, '', (layer) => {
      const guard = guardOf(layer.handle)
      if (guard !== undefined) seen.push(guard)
    })
    if (target?.kind !== 'route') return undefined
    // An earlier route may answer this sample instead (it shadows this one): its guards are what runs.
    for (const layer of target.route.stack) {
      if (layer.method !== undefined && layer.method !== method) continue
      const guard = guardOf(layer.handle)
      if (guard !== undefined) seen.push(guard)
    }
    return seen
  })
  return Array.isArray(common) ? common : []
}
