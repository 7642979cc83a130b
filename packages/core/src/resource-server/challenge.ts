import { challenge } from '../internal/quoted-string.js'
import type { ChallengeParams } from '../types.js'

/**
 * One `Bearer` or `DPoP` challenge: `realm`, `error` (the failed verification's own code when it
 * gave one for this challenge), `scope`, `resource_metadata` (RFC 9728 §5.1), then the extra
 * auth-params of the failure (RFC 9470 `acr_values`, `max_age`) and, for DPoP, `algs`.
 */
export function authChallenge(scheme: 'Bearer' | 'DPoP', params: ChallengeParams, algs?: readonly string[]): string {
  const { realm, scope, resourceMetadata, hint } = params
  // A hint addressed to the other challenge of a Bearer + DPoP pair leaves this one plain.
  const mine = hint !== undefined && (hint.scheme === undefined || hint.scheme === scheme) ? hint : undefined
  let error: string | undefined = params.error
  if (error !== undefined && hint !== undefined) error = mine === undefined ? undefined : (mine.error ?? error)
  const entries: (readonly [string, string | undefined])[] = [
    ['realm', realm],
    ['error', error],
    ['scope', scope && scope.length > 0 ? scope.join(' ') : undefined],
    ['resource_metadata', resourceMetadata],
  ]
  if (error !== undefined && mine?.params !== undefined) entries.push(...mine.params)
  if (algs !== undefined) entries.push(['algs', algs.join(' ')])
  return challenge(scheme, entries)
}
