/** The parts of an OpenID Provider Configuration (OpenID Connect Discovery 1.0 §3) authspec uses. */
export interface DiscoveryDocument {
  readonly issuer: string
  readonly jwks_uri: string
}

const SUFFIX = '/.well-known/openid-configuration'

/**
 * The issuer an `openIdConnectUrl` promises (Discovery §4.3): the URL without
 * `/.well-known/openid-configuration`; `undefined` when the URL does not follow that form.
 */
export function expectedIssuer(openIdConnectUrl: string): string | undefined {
  const url = openIdConnectUrl.split(/[?#]/, 1)[0]!
  return url.endsWith(SUFFIX) ? url.slice(0, -SUFFIX.length) : undefined
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:'
  } catch {
    return false
  }
}

/**
 * A parser for the discovery document of `openIdConnectUrl`: its `issuer` must equal `issuer`
 * (with `derived`, also `issuer + "/"`: Discovery §4 removes a trailing slash from the issuer
 * before appending the well-known path), and `jwks_uri` must be an http(s) URL. Throws otherwise.
 */
export function discoveryParser(issuer: string, derived: boolean): (json: unknown) => DiscoveryDocument {
  return (json) => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('discovery document is not an object')
    const doc = json as { issuer?: unknown; jwks_uri?: unknown }
    if (typeof doc.issuer !== 'string' || doc.issuer.length === 0) throw new TypeError('discovery document has no issuer')
    if (doc.issuer !== issuer && !(derived && doc.issuer === `${issuer}/`)) throw new TypeError('discovery issuer does not match')
    if (!isHttpUrl(doc.jwks_uri)) throw new TypeError('discovery document has no valid jwks_uri')
    return { issuer: doc.issuer, jwks_uri: doc.jwks_uri }
  }
}
