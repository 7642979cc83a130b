import { configError } from '../errors.js'

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

/** Check a `resource` option: an absolute http(s) URI without a fragment (RFC 8707 §2). Returns its canonical form. */
export function checkResource(kind: string, resource: unknown): string {
  if (typeof resource !== 'string' || resource.length === 0) throw configError(`${kind}: resource must be an absolute https URL`)
  const canonical = canonicalUri(resource)
  if (canonical === undefined) throw configError(`${kind}: resource ${JSON.stringify(resource)} must be an absolute http(s) URL`)
  if (resource.includes('#')) throw configError(`${kind}: resource must not have a fragment (RFC 8707 §2)`)
  return canonical
}

/**
 * Where RFC 9728 §3.1 puts the metadata of `resource`: `/.well-known/oauth-protected-resource`
 * inserted between the host and the path (`https://api.example.com/mcp` →
 * `https://api.example.com/.well-known/oauth-protected-resource/mcp`); the query is kept.
 */
export function resourceMetadataUrl(resource: string): string {
  const url = new URL(resource)
  const path = url.pathname === '/' ? '' : url.pathname
  return `${url.origin}/.well-known/oauth-protected-resource${path}${url.search}`
}

/** True when the `aud` claim (a string or an array of them) names `canonical` (compared in canonical form). */
export function audienceNames(aud: unknown, canonical: string): boolean {
  if (typeof aud === 'string') return aud === canonical || canonicalUri(aud) === canonical
  if (!Array.isArray(aud)) return false
  for (const item of aud) if (typeof item === 'string' && (item === canonical || canonicalUri(item) === canonical)) return true
  return false
}

const HEADER_ONLY = Object.freeze(['header'])
const HEADER_AND_QUERY = Object.freeze(['header', 'query'])

/** RFC 9728 `bearer_methods_supported` of a bearer-token scheme. */
export function bearerMethods(allowQuery: boolean): readonly string[] {
  return allowQuery ? HEADER_AND_QUERY : HEADER_ONLY
}

/** A JWT scheme's `issuer` option as a list (none when unchecked). */
export function issuersOf(issuer: string | readonly string[] | undefined): readonly string[] | undefined {
  if (issuer === undefined) return undefined
  return Object.freeze(typeof issuer === 'string' ? [issuer] : [...issuer])
}
