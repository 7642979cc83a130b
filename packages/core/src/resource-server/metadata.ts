import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { SchemeMap } from '../types.js'
import { checkResource, resourceMetadataUrl } from './resource-uri.js'
import { httpUrl } from '../internal/option-schema.js'

/** RFC 9728 §2 protected-resource metadata, as authspec serves it. */
export interface ProtectedResourceMetadata {
  readonly resource: string
  readonly authorization_servers?: readonly string[]
  readonly scopes_supported?: readonly string[]
  readonly bearer_methods_supported: readonly string[]
  readonly resource_documentation?: string
  readonly resource_name?: string
  readonly dpop_signing_alg_values_supported?: readonly string[]
  readonly dpop_bound_access_tokens_required?: boolean
}

/** Options of `createAuth({ protectedResource })`, beyond `resource`. */
export interface ProtectedResourceOptions {
  /**
   * Issuer identifiers of the authorization servers whose tokens this resource accepts.
   * @default the issuers of the auth's `oauth2` (with `token`) and `openIdConnect` schemes
   */
  authorizationServers?: readonly string[]
  /** `scopes_supported`. @default the union of the scopes the `oauth2` schemes' flows declare */
  scopesSupported?: readonly string[]
  /** `resource_documentation`: a page for developers. */
  resourceDocumentation?: string
  /** `resource_name`: a human-readable name. */
  resourceName?: string
  /** Where the metadata is served (the challenges' `resource_metadata`). @default RFC 9728 §3.1: `/.well-known/oauth-protected-resource` inserted before the resource's path */
  metadataUrl?: string
}

/** The resource-server settings of an auth, checked. */
export interface ResourceServer {
  /** `resource` as given. */
  readonly resource: string
  /** Its canonical form (the default JWT audience). */
  readonly canonical: string
  /** The URL of the metadata document (challenges' `resource_metadata`). */
  readonly metadataUrl: string
  /** The metadata document. */
  readonly metadata: ProtectedResourceMetadata
}

function stringList(name: string, value: unknown): readonly string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw configError(`createAuth: protectedResource.${name} must be an array of non-empty strings`)
  }
  return Object.freeze([...(value as string[])])
}

function absoluteUrl(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  return httpUrl(`createAuth: protectedResource.${name}`, value)
}

const PROTECTED_RESOURCE_OPTIONS = optionNames<ProtectedResourceOptions>()('authorizationServers', 'scopesSupported', 'resourceDocumentation', 'resourceName', 'metadataUrl')

/** Check `resource` and `protectedResource` and build the metadata from the schemes (RFC 9728). */
export function resourceServer(resource: unknown, options: ProtectedResourceOptions | undefined, schemes: SchemeMap): ResourceServer {
  const canonical = checkResource('createAuth', resource)
  if (options !== undefined && (options === null || typeof options !== 'object')) throw configError('createAuth: protectedResource must be an object')
  if (options !== undefined) checkOptions('createAuth: protectedResource', options, PROTECTED_RESOURCE_OPTIONS)
  const given = options ?? {}
  const servers = new Set<string>(stringList('authorizationServers', given.authorizationServers) ?? [])
  const scopes = new Set<string>(stringList('scopesSupported', given.scopesSupported) ?? [])
  const methods = new Set<string>()
  const dpopAlgorithms = new Set<string>()
  let dpopRequired = false
  let bearerSchemes = 0
  for (const scheme of Object.values(schemes)) {
    if (given.authorizationServers === undefined) for (const issuer of scheme.authorizationServers ?? []) servers.add(issuer)
    if (given.scopesSupported === undefined && scheme.type === 'oauth2' && typeof scheme.scopeMode === 'object') {
      for (const scope of scheme.scopeMode) scopes.add(scope)
    }
    if (scheme.bearerMethods !== undefined) {
      bearerSchemes++
      for (const method of scheme.bearerMethods) methods.add(method)
    }
    if (scheme.dpop !== undefined) {
      for (const alg of scheme.dpop.algorithms) dpopAlgorithms.add(alg)
      if (scheme.dpop.required) dpopRequired = true
    }
  }
  const documentation = absoluteUrl('resourceDocumentation', given.resourceDocumentation)
  if (given.resourceName !== undefined && typeof given.resourceName !== 'string') throw configError('createAuth: protectedResource.resourceName must be a string')
  const metadataUrl = absoluteUrl('metadataUrl', given.metadataUrl) ?? resourceMetadataUrl(resource as string)
  const metadata: Record<string, unknown> = { resource }
  if (servers.size > 0) metadata.authorization_servers = [...servers]
  if (scopes.size > 0) metadata.scopes_supported = [...scopes]
  metadata.bearer_methods_supported = bearerSchemes === 0 ? ['header'] : [...methods]
  if (documentation !== undefined) metadata.resource_documentation = documentation
  if (given.resourceName !== undefined) metadata.resource_name = given.resourceName
  if (dpopAlgorithms.size > 0) metadata.dpop_signing_alg_values_supported = [...dpopAlgorithms]
  if (dpopRequired && dpopAlgorithms.size > 0 && bearerSchemes > 0) metadata.dpop_bound_access_tokens_required = everyBearerRequiresDpop(schemes)
  return Object.freeze({ resource: resource as string, canonical, metadataUrl, metadata: Object.freeze(metadata) as unknown as ProtectedResourceMetadata })
}

function everyBearerRequiresDpop(schemes: SchemeMap): boolean {
  return Object.values(schemes).every((scheme) => scheme.bearerMethods === undefined || scheme.dpop?.required === true)
}
