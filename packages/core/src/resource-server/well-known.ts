import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { ProtectedResourceMetadata } from './metadata.js'
import { wholeSeconds } from '../internal/option-schema.js'

const WELL_KNOWN = '/.well-known/oauth-protected-resource'
const ENDPOINT_OPTIONS = optionNames<{ maxAge?: number }>()('maxAge')

/** What an adapter serves for RFC 9728 metadata: where, the body, the headers. */
export interface ProtectedResourceEndpoint {
  /** Request paths answered: `/.well-known/oauth-protected-resource` and the path-inserted form of the resource (and of `metadataUrl`). */
  readonly paths: readonly string[]
  /** The JSON body, serialised once. */
  readonly body: string
  /** `Content-Type`, `Cache-Control` and `Access-Control-Allow-Origin: *` (browser-based clients read it too). */
  readonly headers: Readonly<Record<string, string>>
}

/** The view of an auth this needs (`createAuth` results fit). */
interface ResourceAuth {
  readonly resource: string | undefined
  readonly resourceMetadataUrl: string | undefined
  protectedResourceMetadata(): ProtectedResourceMetadata
}

/**
 * The metadata endpoint of an auth with a `resource`, for adapters: both the plain well-known
 * path and its RFC 9728 §3.1 path-inserted form (`/.well-known/oauth-protected-resource/mcp`).
 * Throws `ERR_AUTHSPEC_CONFIG` when the auth has no `resource`.
 *
 * @param options.maxAge `Cache-Control: public, max-age` of the document, in seconds. @default 3600
 */
export function protectedResourceEndpoint(auth: ResourceAuth, options: { maxAge?: number } = {}): ProtectedResourceEndpoint {
  if (auth.resource === undefined || auth.resourceMetadataUrl === undefined) throw configError('protectedResource: createAuth has no resource')
  if (options !== null && typeof options === 'object') checkOptions('protectedResource', options, ENDPOINT_OPTIONS)
  const maxAge = options.maxAge ?? 3600
  wholeSeconds('protectedResource: maxAge', maxAge)
  const paths = new Set<string>([WELL_KNOWN])
  const path = new URL(auth.resource).pathname
  if (path !== '/') paths.add(WELL_KNOWN + path)
  const served = new URL(auth.resourceMetadataUrl).pathname
  if (served.startsWith(WELL_KNOWN)) paths.add(served)
  return Object.freeze({
    paths: Object.freeze([...paths]),
    body: JSON.stringify(auth.protectedResourceMetadata()),
    headers: Object.freeze({ 'Content-Type': 'application/json', 'Cache-Control': `public, max-age=${maxAge}`, 'Access-Control-Allow-Origin': '*' }),
  })
}
