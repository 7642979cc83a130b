/** Result of looking up one named value that may legitimately be absent or be given twice. */
export type Lookup =
  | { readonly state: 'absent' }
  | { readonly state: 'ambiguous' }
  | { readonly state: 'found'; readonly value: string }

export const ABSENT: Lookup = Object.freeze({ state: 'absent' })
export const AMBIGUOUS: Lookup = Object.freeze({ state: 'ambiguous' })

function decode(value: string): string {
  if (value.indexOf('%') === -1) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/**
 * Find cookie `name` in a `Cookie` header (RFC 6265 `cookie-string`). Names are case-sensitive,
 * double-quoted values are unquoted, percent-encoding is decoded when valid. Several `Cookie`
 * fields joined by `, ` or `; ` are both understood. Never throws.
 */
export function findCookie(header: string | null, name: string): Lookup {
  if (header === null || header.length === 0 || header.indexOf(name) === -1) return ABSENT
  let found: string | undefined
  let start = 0
  const len = header.length
  while (start < len) {
    let end = header.indexOf(';', start)
    if (end === -1) end = len
    const eq = header.indexOf('=', start)
    if (eq !== -1 && eq < end) {
      const key = header.slice(start, eq).trim()
      if (key === name || (key.startsWith(',') && key.slice(1).trim() === name)) {
        let value = header.slice(eq + 1, end).trim()
        if (value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22) {
          value = value.slice(1, -1)
        }
        value = decode(value)
        if (found !== undefined && found !== value) return AMBIGUOUS
        found = value
      }
    }
    start = end + 1
  }
  return found === undefined ? ABSENT : { state: 'found', value: found }
}
