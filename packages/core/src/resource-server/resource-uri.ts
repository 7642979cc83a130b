import { configError } from '../errors.js'
import { canonicalUri } from '../internal/canonical-uri.js'

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
