/** Routes remembered per app stack. */
const MAX_ENTRIES = 1000

interface Remembered<T, S> {
  readonly target: T
  /** Every stack the router search read (the app's first), with its length then. */
  readonly stacks: readonly S[]
  readonly lengths: readonly number[]
}

/**
 * The route a `method pathname` was found to reach, remembered per app stack (a router's array of
 * layers, `S`) so that, for routers an adapter must search itself, the layer matching runs once
 * per request (the router's own), not twice. An entry holds only while every stack the search
 * read still has the length it had: a route or router added (or removed) anywhere on that way
 * makes the next request search again. Bounded (oldest entries go first); only found routes are
 * remembered, so unknown paths cannot fill it.
 */
export class RouteMemo<T = unknown, S extends readonly unknown[] = unknown[]> {
  readonly #byStack = new WeakMap<S, Map<string, Remembered<T, S>>>()

  /** The target remembered for `key` (`method pathname`) in `stack`, while the stacks on its way are unchanged. */
  get(stack: S, key: string): T | undefined {
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

  /** Remember `target` for `key` in `stack`, found by a search that read `stacks` (`stack` first). */
  set(stack: S, key: string, target: T, stacks: readonly S[]): void {
    let entries = this.#byStack.get(stack)
    if (entries === undefined) this.#byStack.set(stack, (entries = new Map()))
    if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!)
    entries.set(key, { target, stacks, lengths: stacks.map((s) => s.length) })
  }
}
