import type { PreparedEntry, PreparedRequirement } from './requirement.js'
import { createFailure, type AuthFailure, type FailureCode, type RenderError } from './result.js'
import type { ChallengeHint } from './types.js'

/** Failure kinds by precedence: a higher rank wins the response. */
export const RANK = { missing: 1, invalid: 2, scope: 3, rate_limited: 4, unavailable: 5, malformed: 6 } as const
export type Kind = keyof typeof RANK

/** The failure an evaluation would answer so far (the highest-ranked one). */
export interface Candidate {
  kind: Kind
  entry: PreparedEntry | undefined
  detail: string | undefined
  retryAfter: number | undefined
  headers?: Readonly<Record<string, string>> | undefined
  hint?: ChallengeHint | undefined
}

/** What shaping a failure needs of the evaluation's options. */
export interface FailureOptions {
  readonly realm: string
  readonly render: RenderError | undefined
  /** RFC 9728 metadata URL for Bearer/DPoP challenges (with `createAuth({ resource })`). */
  readonly resourceMetadata?: string | undefined
}

const STATUS: Record<Kind, AuthFailure['status']> = { malformed: 400, unavailable: 503, rate_limited: 429, scope: 403, invalid: 401, missing: 401 }
const CODE: Record<Kind, FailureCode> = {
  malformed: 'invalid_request',
  unavailable: 'temporarily_unavailable',
  rate_limited: 'rate_limited',
  scope: 'insufficient_scope',
  invalid: 'invalid_token',
  missing: 'credentials_missing',
}
const ERROR = { malformed: 'invalid_request', scope: 'insufficient_scope', invalid: 'invalid_token' } as const

function describe(kind: Kind, scheme: string | undefined, names: readonly string[], detail: string | undefined): string {
  switch (kind) {
    case 'malformed':
      return `Malformed credentials for ${scheme}${detail === undefined ? '' : `: ${detail}`}.`
    case 'unavailable':
      return `Credentials for ${scheme} cannot be verified right now${detail === undefined ? '' : ` (${detail})`}; retry later.`
    case 'rate_limited':
      return `Too many requests for ${scheme}${detail === undefined ? '' : `: ${detail}`}.`
    case 'scope':
      return `The credentials for ${scheme} lack a required scope.`
    case 'invalid':
      return `The credentials for ${scheme} were rejected${detail === undefined ? '' : `: ${detail}`}.`
    case 'missing':
      return `Authentication required: send credentials for ${names.join(', ')}.`
  }
}

/**
 * One challenge per scheme, except that schemes whose challenges are identical (say, an opaque
 * and a JWT bearer scheme with the same realm) are sent once, in the place of the first: a client
 * cannot tell them apart. When one of them decided the failure, its challenge (with `error`)
 * stands for the group.
 */
function uniqueChallenges(base: readonly string[], decisiveIndex: number, decisive: string | undefined): string[] {
  const out: string[] = []
  const position = new Map<string, number>()
  for (let i = 0; i < base.length; i++) {
    const challenge = base[i]!
    const at = position.get(challenge)
    if (at === undefined) {
      position.set(challenge, out.length)
      out.push(i === decisiveIndex ? decisive! : challenge)
    } else if (i === decisiveIndex) {
      out[at] = decisive!
    }
  }
  return out
}

/** The failure of an evaluation whose every alternative failed, `best` deciding its status, challenges and detail. */
export function failure(prepared: PreparedRequirement<unknown>, best: Candidate | undefined, options: FailureOptions): AuthFailure {
  // Every alternative failed, so `best` is set (an empty alternative would have passed).
  const kind = best?.kind ?? 'missing'
  const entry = best?.entry
  let decisive: string | undefined
  const quiet = kind === 'unavailable' || kind === 'rate_limited'
  if (!quiet && kind !== 'missing' && entry !== undefined) {
    const resourceMetadata = options.resourceMetadata
    decisive = entry.scheme.challenge({
      realm: entry.scheme.realm ?? options.realm,
      error: ERROR[kind],
      ...(kind === 'scope' || resourceMetadata !== undefined ? { scope: entry.scopes } : {}),
      ...(resourceMetadata === undefined ? {} : { resourceMetadata }),
      ...(best?.hint === undefined ? {} : { hint: best.hint }),
    })
  }
  const challenges = quiet ? [] : uniqueChallenges(prepared.challenges, decisive === undefined ? -1 : entry!.index, decisive)
  const scheme = kind === 'missing' ? undefined : entry?.name
  return createFailure({
    status: STATUS[kind],
    code: CODE[kind],
    scheme,
    detail: describe(kind, scheme, prepared.names, best?.detail),
    challenges,
    vary: prepared.vary,
    retryAfter: best?.retryAfter,
    // Rate-limit headers (429), or what a failed verification's hint asks for (DPoP-Nonce).
    extraHeaders: best?.headers ?? (kind === 'invalid' ? best?.hint?.headers : undefined),
    render: options.render,
  })
}
