import { ABSENT, AMBIGUOUS, type Lookup } from './cookies.js'

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
 * a space, percent-encoding decoded). A parameter given twice with different values, or with an
 * undecodable value, is ambiguous. Never throws.
 */
export function findQueryParam(query: string | undefined, name: string): Lookup {
  if (query === undefined || query.length === 0) return ABSENT
  let found: string | undefined
  let start = 0
  const len = query.length
  while (start < len) {
    let end = query.indexOf('&', start)
    if (end === -1) end = len
    const eq = query.indexOf('=', start)
    const keyEnd = eq !== -1 && eq < end ? eq : end
    const rawKey = query.slice(start, keyEnd)
    const key = rawKey === name ? rawKey : decodeComponent(rawKey)
    if (key === name) {
      const value = keyEnd === end ? '' : decodeComponent(query.slice(keyEnd + 1, end))
      if (value === undefined) return AMBIGUOUS
      if (found !== undefined && found !== value) return AMBIGUOUS
      found = value
    }
    start = end + 1
  }
  return found === undefined ? ABSENT : { state: 'found', value: found }
}
