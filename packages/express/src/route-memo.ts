import type { Layer } from './route-pattern.js'
import type { Target } from './router-match.js'

/** Routes remembered per app stack. */
const MAX_ENTRIES = 1000

interface Remembered {
  readonly target: Target
  /** Every stack the router search read (the app's first), with its length then. */
  readonly stacks: readonly Layer[][]
  readonly lengths: readonly number[]
}

/**
 * The route a `method pathname` was found to reach, remembered per app stack so that the router's
 * layer matching runs once per request (the router's own), not twice. An entry holds only while
 * every stack the search read still has the length it had: a route or router added (or removed)
 * anywhere on that way makes the next request search again. Bounded (oldest entries go first);
 * only found routes are remembered, so unknown paths cannot fill it.
 */
export class RouteMemo {
  readonly #byStack = new WeakMap<Layer[], Map<string, Remembered>>()

  get(stack: Layer[], key: string): Target | undefined {
    const entries = this.#byStack.get(stack)
    const entry = entries?.get(key)
    if (entry === undefined) return undefined
    const { stacks, lengths } = entry
    for (let i = 0; i < stacks.length; i++) {
      if (stacks[i]!.length !== lengths[i]) {
        entries!.delete(key)
        return undefined
      }
    }
    return entry.target
  }

  set(stack: Layer[], key: string, target: Target, stacks: readonly Layer[][]): void {
    let entries = this.#byStack.get(stack)
    if (entries === undefined) this.#byStack.set(stack, (entries = new Map()))
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
    entries.set(key, { target, stacks, lengths: stacks.map((s) => s.length) })
  }
}
