/** `current` (a `Vary` field) with `names` added once each; `undefined` when nothing changes (`*` varies on everything). */
export function varyWith(current: string | null | undefined, names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined
  if (current === null || current === undefined || current === '') return names.join(', ')
  if (current.trim() === '*') return undefined
  const seen = new Set(current.split(',').map((part) => part.trim().toLowerCase()))
  const added = names.filter((name) => !seen.has(name.toLowerCase()))
  return added.length > 0 ? `${current}, ${added.join(', ')}` : undefined
}

/**
 * Mark a protected response's Web `Headers`: `Vary` on the request headers the requirement read,
 * and `Cache-Control: private` unless the handler set its own. Throws on immutable headers (a
 * response passed through from `fetch()`): copy the response, then mark the copy.
 */
export function markPrivate(headers: Headers, vary: readonly string[]): void {
  if (vary.length > 0) {
    const current = headers.get('vary')
    // Most responses have no Vary yet, and most requirements read one header.
    const merged = current === null && vary.length === 1 ? vary[0] : varyWith(current, vary)
    if (merged !== undefined) headers.set('vary', merged)
  }
  if (headers.get('cache-control') === null) headers.set('cache-control', 'private')
}
