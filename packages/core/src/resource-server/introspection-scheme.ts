import { AuthspecError } from '../errors.js'
import { isThenable } from '../internal/verify-callback.js'
import type { Scheme, VerifyOutcome } from '../types.js'
import { createIntrospector, type IntrospectionOptions, type IntrospectionPrincipal } from './introspection.js'

type Outcome = VerifyOutcome<IntrospectionPrincipal>

/** What a bearer scheme with `introspection` gets: its verify and its resource-server fields. */
export interface IntrospectionVerifier {
  readonly verify: (credential: unknown) => Outcome | Promise<Outcome>
  readonly schemeFields: Pick<Scheme<IntrospectionPrincipal>, 'remote' | 'bindResource' | 'authorizationServers'>
}

/**
 * The verify of a scheme that introspects (RFC 7662), with an optional `scopes` function
 * replacing the answer's `scope`.
 */
export function introspectionVerifier(options: IntrospectionOptions, scopes: ((principal: never) => readonly string[] | undefined) | undefined): IntrospectionVerifier {
  const introspector = createIntrospector(options)
  const withScopes = (outcome: Outcome): Outcome => {
    if (!outcome.ok || scopes === undefined) return outcome
    let granted: readonly string[] | undefined
    try {
      granted = scopes(outcome.principal as never)
    } catch (cause) {
      throw new AuthspecError('ERR_AUTHSPEC_VERIFY', 'scopes of the introspection scheme threw', { cause })
    }
    if (granted !== undefined && (!Array.isArray(granted) || granted.some((s) => typeof s !== 'string'))) {
      throw new AuthspecError('ERR_AUTHSPEC_VERIFY', 'scopes of the introspection scheme must return an array of strings')
    }
    return { ...outcome, scopes: Object.freeze([...(granted ?? [])]) }
  }
  return {
    verify: (credential) => {
      const outcome = introspector.verify(credential as string)
      if (scopes === undefined) return outcome
      return isThenable(outcome) ? Promise.resolve(outcome).then(withScopes) : withScopes(outcome)
    },
    schemeFields: {
      remote: true,
      bindResource: (resource) => introspector.bindResource(resource),
      ...(introspector.issuer === undefined ? {} : { authorizationServers: Object.freeze([introspector.issuer]) }),
    },
  }
}
