import type { Auth } from '../create-auth.js'
import { protectedResourceEndpoint } from '../resource-server/well-known.js'

/** Options of an adapter's `protectedResource`. */
export interface ProtectedResourceOptions {
  /** `Cache-Control: public, max-age` of the document, in seconds. @default 3600 */
  maxAge?: number
}

/** What the metadata endpoint answers a request: status, headers, body (none for `HEAD` and `OPTIONS`). */
export interface ResourceAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
  /** The document's length in bytes, for `GET` and `HEAD` (`Content-Length`); 0 for a preflight. */
  readonly length: number
}

/** The RFC 9728 metadata endpoint of an auth, as an adapter serves it. */
export interface ProtectedResourceServer {
  /** The answer for a request of `method` to `path`, or `undefined` to let the request go on. */
  answer(path: string, method: string): ResourceAnswer | undefined
}

const PREFLIGHT = Object.freeze({
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Max-Age': '86400',
})

/**
 * Serve the auth's protected-resource metadata (`createAuth({ resource })`) at its well-known
 * paths: `GET`/`HEAD` the JSON document, `OPTIONS` a CORS preflight; other requests go on.
 * Built once: an auth without `resource` throws `ERR_AUTHSPEC_CONFIG` now.
 */
export function protectedResourceServer(auth: Pick<Auth, 'resource' | 'resourceMetadataUrl' | 'protectedResourceMetadata'>, options: ProtectedResourceOptions = {}): ProtectedResourceServer {
  const endpoint = protectedResourceEndpoint(auth, options)
  const paths = new Set(endpoint.paths)
  const length = new TextEncoder().encode(endpoint.body).length
  const document: ResourceAnswer = { status: 200, headers: endpoint.headers, body: endpoint.body, length }
  const head: ResourceAnswer = { status: 200, headers: endpoint.headers, body: undefined, length }
  const preflight: ResourceAnswer = { status: 204, headers: PREFLIGHT, body: undefined, length: 0 }
  return {
    answer: (path, method) => {
      if (!paths.has(path)) return undefined
      if (method === 'GET') return document
      if (method === 'HEAD') return head
      return method === 'OPTIONS' ? preflight : undefined
    },
  }
}
