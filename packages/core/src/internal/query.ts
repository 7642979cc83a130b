import { ABSENT, AMBIGUOUS, UNDECODABLE, type Lookup } from './cookies.js'

function decodeComponent(value: string): string | undefined {
  const plus = value.indexOf('+') === -1 ? value : value.replace(/\+/g, ' ')
  if (plus.indexOf('%') === -1) return plus
  try {
    return decodeURIComponent(plus)
  } catch {
    return undefined
  }
}

/**
 * Find parameter `name` in a raw query string (`application/x-www-form-urlencoded` rules: `+` is
 * a space, percent-encoding decoded). A parameter given twice with different values is
 * ambiguous; one whose value is not valid percent-encoded UTF-8 is undecodable. Never throws.
 */
export function findQueryParam(query: string | undefined, name: string): Lookup {
  if (query === undefined || query.length === 0) return ABSENT
  let found: string | undefined
  let start = 0
  const len = query.length
  while (start < len) {
    // One pass over the pair: its end and its first `=` (linear on any input).
    let end = start
    let eq = -1
    while (end < len) {
      const c = query.charCodeAt(end)
      if (c === 0x26) break
      if (c === 0x3d && eq === -1) eq = end
      end++
    }
    const keyEnd = eq === -1 ? end : eq
    const rawKey = query.slice(start, keyEnd)
    const key = rawKey === name ? rawKey : decodeComponent(rawKey)
    if (key === name) {
      const value = keyEnd === end ? '' : decodeComponent(query.slice(keyEnd + 1, end))
      if (value === undefined) return UNDECODABLE
      if (found !== undefined && found !== value) return AMBIGUOUS
      found = value
    }
    start = end + 1
  }
  return found === undefined ? ABSENT : { state: 'found', value: found }
}
