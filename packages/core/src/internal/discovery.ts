import { RemoteRefused } from './remote-document.js'

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

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** True for an `http:` URL on a loopback host (`localhost`, `127.0.0.0/8`, `[::1]`): development. */
function isHttpLoopback(url: string): boolean {
  if (!URL.canParse(url)) return false
  const { protocol, hostname } = new URL(url)
  return protocol === 'http:' && (LOOPBACK.has(hostname) || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname))
}

/**
 * A parser for the discovery document of `openIdConnectUrl`: its `issuer` must equal `issuer`
 * (with `derived`, also `issuer + "/"`: Discovery §4 removes a trailing slash from the issuer
 * before appending the well-known path), and `jwks_uri` must be an http(s) URL, and `https`
 * unless the discovery URL itself is `http` on a loopback host (development). Throws otherwise;
 * an `http` `jwks_uri` is a {@link RemoteRefused} (its reason reaches the 503's detail).
 */
export function discoveryParser(issuer: string, derived: boolean, discoveryUrl: string = issuer): (json: unknown) => DiscoveryDocument {
  const httpAllowed = isHttpLoopback(discoveryUrl)
  return (json) => {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TypeError('discovery document is not an object')
    const doc = json as { issuer?: unknown; jwks_uri?: unknown }
    if (typeof doc.issuer !== 'string' || doc.issuer.length === 0) throw new TypeError('discovery document has no issuer')
    if (doc.issuer !== issuer && !(derived && doc.issuer === `${issuer}/`)) throw new TypeError('discovery issuer does not match')
    if (!isHttpUrl(doc.jwks_uri)) throw new TypeError('discovery document has no valid jwks_uri')
    if (!httpAllowed && doc.jwks_uri.startsWith('http:')) {
      throw new RemoteRefused('the discovery document\'s jwks_uri is http, refused (https required unless the discovery URL is http on a loopback host)')
    }
    return { issuer: doc.issuer, jwks_uri: doc.jwks_uri }
  }
}
