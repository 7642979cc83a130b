import { percentDecodeOrKeep } from './percent-decode.js'

/** Result of looking up one named value that may legitimately be absent or be given twice. */
export type Lookup =
  | { readonly state: 'absent' }
  | { readonly state: 'ambiguous' }
  /** The value's percent-encoding is invalid (query parameters only). */
  | { readonly state: 'undecodable' }
  | { readonly state: 'found'; readonly value: string }

export const ABSENT: Lookup = Object.freeze({ state: 'absent' })
export const AMBIGUOUS: Lookup = Object.freeze({ state: 'ambiguous' })
export const UNDECODABLE: Lookup = Object.freeze({ state: 'undecodable' })


/**
 * Find cookie `name` in a `Cookie` header (RFC 6265 `cookie-string`). Names are case-sensitive,
 * double-quoted values are unquoted, percent-encoding is decoded when valid. Several `Cookie`
 * fields joined by `; ` (undici) or `, ` (the generic `Headers` join) are both understood: a
 * comma can never be part of an RFC 6265 `cookie-value`. Never throws.
 */
export function findCookie(header: string | null, name: string): Lookup {
  if (header === null || header.length === 0 || header.indexOf(name) === -1) return ABSENT
  let found: string | undefined
  let start = 0
  const len = header.length
  while (start < len) {
    // One pass over the pair: its end (`;` or `,`) and its first `=` (linear on any input).
    let end = start
    let eq = -1
    while (end < len) {
      const c = header.charCodeAt(end)
      if (c === 0x3b || c === 0x2c) break
      if (c === 0x3d && eq === -1) eq = end
      end++
    }
    if (eq !== -1 && header.slice(start, eq).trim() === name) {
      let value = header.slice(eq + 1, end).trim()
      if (value.length >= 2 && value.charCodeAt(0) === 0x22 && value.charCodeAt(value.length - 1) === 0x22) {
        value = value.slice(1, -1)
      }
      value = percentDecodeOrKeep(value)
      if (found !== undefined && found !== value) return AMBIGUOUS
      found = value
    }
    start = end + 1
  }
  return found === undefined ? ABSENT : { state: 'found', value: found }
}
