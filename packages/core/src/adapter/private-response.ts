/** Add `names` to a `Vary` header field, once each (`*` already varies on everything). */
function mergeVary(headers: Headers, names: readonly string[]): void {
  const current = headers.get('vary')
  if (current === null) {
    headers.set('vary', names.join(', '))
    return
  }
  if (current.trim() === '*') return
  const seen = new Set(current.split(',').map((part) => part.trim().toLowerCase()))
  const added = names.filter((name) => !seen.has(name.toLowerCase()))
  if (added.length > 0) headers.set('vary', `${current}, ${added.join(', ')}`)
}

/**
 * Mark a protected response's Web `Headers`: `Vary` on the request headers the requirement read,
 * and `Cache-Control: private` unless the handler set its own. Throws on immutable headers (a
 * response passed through from `fetch()`): copy the response, then mark the copy.
 */
export function markPrivate(headers: Headers, vary: readonly string[]): void {
  if (vary.length > 0) mergeVary(headers, vary)
  if (!headers.has('cache-control')) headers.set('cache-control', 'private')
}
