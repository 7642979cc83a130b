/** The parsed `Authorization` header, for one auth-scheme. */
export type AuthorizationLookup =
  | { readonly state: 'absent' }
  | { readonly state: 'malformed'; readonly detail: string }
  | { readonly state: 'present'; readonly value: string }

const ABSENT: AuthorizationLookup = Object.freeze({ state: 'absent' })

function isTchar(c: number): boolean {
  // RFC 9110 tchar
  return (
    (c >= 0x30 && c <= 0x39) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x61 && c <= 0x7a) ||
    c === 0x21 || (c >= 0x23 && c <= 0x27) || c === 0x2a || c === 0x2b || c === 0x2d || c === 0x2e ||
    c === 0x5e || c === 0x5f || c === 0x60 || c === 0x7c || c === 0x7e
  )
}

/** True when `value` is a non-empty RFC 9110 token (header names, auth-schemes). */
export function isToken(value: string): boolean {
  if (value.length === 0) return false
  for (let i = 0; i < value.length; i++) if (!isTchar(value.charCodeAt(i))) return false
  return true
}

const TWO_FIELDS: AuthorizationLookup = Object.freeze({ state: 'malformed', detail: 'more than one Authorization field' })

/** True when `scheme` starts a list member after a comma (`…, Bearer …`). */
function namedAfterComma(header: string, scheme: string): boolean {
  const lower = scheme.toLowerCase()
  const len = header.length
  const n = scheme.length
  let comma = header.indexOf(',')
  while (comma !== -1) {
    let i = comma + 1
    while (i < len && (header.charCodeAt(i) === 0x20 || header.charCodeAt(i) === 0x09)) i++
    if (i + n <= len && header.slice(i, i + n).toLowerCase() === lower && (i + n === len || !isTchar(header.charCodeAt(i + n)))) {
      return true
    }
    comma = header.indexOf(',', i)
  }
  return false
}

/**
 * True when `header` starts with `scheme`, ASCII letters compared case-insensitively (what
 * `slice().toLowerCase() ===` did for tchar-only text, without two strings per request).
 */
function asciiPrefixIgnoringCase(header: string, scheme: string): boolean {
  for (let i = 0; i < scheme.length; i++) {
    const a = header.charCodeAt(i)
    const b = scheme.charCodeAt(i)
    if (a === b) continue
    const lower = a | 0x20
    if (lower !== (b | 0x20) || lower < 97 || lower > 122) return false
  }
  return true
}

/**
 * Find the credentials of auth-scheme `scheme` (case-insensitive) in an `Authorization` value:
 * `scheme 1*SP credentials`. A header for another auth-scheme is `absent` for this one, unless
 * a second field for this one follows it (`Basic x, Bearer y`: `malformed`). The
 * scheme name followed by nothing, by a non-space separator (tab) or by an empty credential is
 * `malformed`. The credential's own grammar is checked by the caller. Never throws.
 */
export function findAuthorization(header: string | null, scheme: string): AuthorizationLookup {
  if (header === null) return ABSENT
  const n = scheme.length
  if (header.length < n) return ABSENT
  // The auth-scheme ends at the first character that is not a tchar.
  let end = 0
  while (end < header.length && isTchar(header.charCodeAt(end))) end++
  if (end !== n || !asciiPrefixIgnoringCase(header, scheme)) {
    // `Basic x, Bearer y`: two Authorization fields joined by `Headers`; ambiguous, not absent.
    return header.indexOf(',') !== -1 && namedAfterComma(header, scheme) ? TWO_FIELDS : ABSENT
  }
  if (header.length === n) return { state: 'malformed', detail: `the ${scheme} credentials are empty` }
  if (header.charCodeAt(n) !== 0x20) {
    return { state: 'malformed', detail: `the ${scheme} scheme must be followed by a space and credentials` }
  }
  let start = n + 1
  while (start < header.length && header.charCodeAt(start) === 0x20) start++
  if (start === header.length) return { state: 'malformed', detail: `the ${scheme} credentials are empty` }
  return { state: 'present', value: header.slice(start) }
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/** RFC 6750 `b64token`: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. */
export function isB64token(value: string): boolean {
  // A regular expression: ~4× faster than a charCodeAt loop on a JWT-sized token (bench/).
  return B64TOKEN.test(value)
}

