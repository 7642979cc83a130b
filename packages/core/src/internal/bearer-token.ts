import type { Extracted } from './outcome-types.js'
import { findAuthorization, isB64token } from './authorization-header.js'
import type { RequestView } from './request-view.js'

const ABSENT: Extracted = Object.freeze({ state: 'absent' })

/**
 * Find an RFC 6750 bearer token: the `Authorization: Bearer <b64token>` header and, only when
 * `allowQuery`, the `access_token` query parameter. A token in both places, a repeated query
 * parameter with different values, or a token outside the b64token grammar is malformed.
 */
export function extractBearer(view: RequestView, allowQuery: boolean): Extracted {
  const header = findAuthorization(view.header('authorization'), 'Bearer')
  if (header.state === 'malformed') return header
  let token: string | undefined
  if (header.state === 'present') {
    if (!isB64token(header.value)) return { state: 'malformed', detail: 'the Bearer token is not a valid b64token' }
    token = header.value
  }
  if (allowQuery) {
    const query = view.queryParam('access_token')
    if (query.state === 'ambiguous') return { state: 'malformed', detail: 'access_token is given more than once with different values' }
    if (query.state === 'undecodable') return { state: 'malformed', detail: 'access_token is not valid percent-encoding' }
    if (query.state === 'found') {
      if (token !== undefined) return { state: 'malformed', detail: 'the bearer token is given in more than one place' }
      if (!isB64token(query.value)) return { state: 'malformed', detail: 'access_token is not a valid b64token' }
      token = query.value
    }
  }
  return token === undefined ? ABSENT : { state: 'present', credential: token }
}
