import { AuthspecError, configError } from '../errors.js'
import { audienceNames } from '../internal/canonical-uri.js'

/**
 * RFC 8707 audience binding of a JWT scheme created without `audience`: `createAuth({ resource })`
 * supplies the expected audience, compared in canonical-URI form. Until then the scheme cannot
 * verify anything (never "any audience").
 */
export interface AudienceBinding {
  /** True when the scheme was created without `audience` and takes the auth's resource. */
  readonly pending: boolean
  /** The canonical resource URI, once bound. */
  resource: string | undefined
}

/** A binding for a scheme whose `audience` option was (`given`) or was not set. */
export function audienceBinding(given: boolean): AudienceBinding {
  return { pending: !given, resource: undefined }
}

/** `createAuth` binds the scheme to its resource (canonical form), or to none. */
export function bindAudience(kind: string, binding: AudienceBinding, resource: string | undefined): void {
  if (!binding.pending) return
  if (resource === undefined) {
    throw configError(`${kind}: audience is required (pass audience: false to accept any, or give createAuth a resource to default it to)`)
  }
  if (binding.resource !== undefined && binding.resource !== resource) {
    throw configError(`${kind}: this scheme already takes its audience from the resource ${binding.resource}; create another scheme for ${resource}`)
  }
  binding.resource = resource
}

/** `undefined` when `aud` fits the binding, else the rejection detail. Throws when the scheme was never bound. */
export function audienceMismatch(kind: string, binding: AudienceBinding, aud: unknown): string | undefined {
  if (!binding.pending) return undefined
  const resource = binding.resource
  if (resource === undefined) throw new AuthspecError('ERR_AUTHSPEC_CONFIG', `${kind}: no audience: use the scheme through createAuth({ resource }) or give it an audience`)
  if (aud === undefined) return 'aud claim missing'
  return audienceNames(aud, resource) ? undefined : 'aud claim invalid'
}
