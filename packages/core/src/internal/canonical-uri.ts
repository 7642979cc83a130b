/**
 * The canonical form of an absolute http(s) URI for comparison (RFC 3986 §6.2.2–6.2.3, as
 * RFC 8707 and the MCP authorization specification use it): scheme and host lower-cased,
 * default port dropped, empty path as `/`, dot segments removed, percent-encoding case
 * normalised; the fragment dropped. `undefined` when `value` is not an absolute http(s) URI.
 */
export function canonicalUri(value: string): string | undefined {
  if (!URL.canParse(value)) return undefined
  const url = new URL(value)
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  url.hash = ''
  // WHATWG URL keeps percent-escape case; RFC 3986 §6.2.2.1 says hex digits compare case-insensitively.
  const path = url.pathname.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase())
  return `${url.protocol}//${url.host}${path}${url.search}`
}

/** True when the `aud` claim (a string or an array of them) names `canonical` (compared in canonical form). */
export function audienceNames(aud: unknown, canonical: string): boolean {
  if (typeof aud === 'string') return aud === canonical || canonicalUri(aud) === canonical
  if (!Array.isArray(aud)) return false
  for (const item of aud) if (typeof item === 'string' && (item === canonical || canonicalUri(item) === canonical)) return true
  return false
}
