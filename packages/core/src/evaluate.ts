import { AuthspecError, isAuthspecError } from './errors.js'
import { RequestView } from './internal/request-view.js'
import type { PreparedEntry, PreparedRequirement } from './requirement.js'
import { createFailure, type AuthFailure, type AuthSuccess, type FailureCode, type RenderError } from './result.js'
import type { AuthContext, Awaitable, ChallengeHint, Extracted, RequestLike, VerifyOutcome } from './types.js'
import { isThenable } from './internal/verify-callback.js'

/** Failure kinds by precedence: a higher rank wins the response. */
const RANK = { missing: 1, invalid: 2, scope: 3, rate_limited: 4, unavailable: 5, malformed: 6 } as const
type Kind = keyof typeof RANK

interface Candidate {
  kind: Kind
  entry: PreparedEntry | undefined
  detail: string | undefined
  retryAfter: number | undefined
  headers?: Readonly<Record<string, string>> | undefined
  hint?: ChallengeHint | undefined
}

const PUBLIC_SUCCESS: AuthSuccess = Object.freeze({ ok: true, principals: Object.freeze({}), scopes: Object.freeze([]), alternative: -1 })

/** Options of one evaluation. */
export interface EvaluateOptions {
  readonly realm: string
  readonly env: unknown
  readonly render: RenderError | undefined
  /** RFC 9728 metadata URL for Bearer/DPoP challenges (with `createAuth({ resource })`). */
  readonly resourceMetadata?: string | undefined
  /** The client's address, from the adapter (see `AuthContext.client`), or a function giving it when read. */
  readonly client?: string | (() => string | undefined) | undefined
}

/** The `AuthContext` of an adapter that gives the client's address lazily: computed when a verifier reads it. */
class LazyClientContext implements AuthContext {
  readonly request: RequestLike
  readonly env: unknown
  readonly scopes: readonly string[]
  readonly #clientOf: () => string | undefined

  constructor(request: RequestLike, env: unknown, scopes: readonly string[], clientOf: () => string | undefined) {
    this.request = request
    this.env = env
    this.scopes = scopes
    this.#clientOf = clientOf
  }

  get client(): string | undefined {
    return this.#clientOf()
  }
}

/** What an evaluation answers: now when every verification on the way answered synchronously. */
export type Evaluated = AuthSuccess | AuthFailure | Promise<AuthSuccess | AuthFailure>

/**
 * Evaluate a prepared requirement against a request (docs/design.md, Semantics): alternatives in
 * order; inside one, presence of every credential first (synchronous), then verification in
 * written order stopping at the first failure; each scheme extracted and verified at most once.
 * Optional auth `{}` is tried last, wherever it is written, and passes only when every other
 * alternative failed for missing credentials or missing scopes.
 *
 * The answer is synchronous when every verification on the way was (static keys, memory
 * stores, cached tokens), so adapters can skip a promise hop; otherwise a promise. A verifier
 * fault throws (synchronously) or rejects (`AuthspecError`, named after the scheme).
 */
export function evaluate(request: RequestLike, prepared: PreparedRequirement<unknown>, options: EvaluateOptions): Evaluated {
  if (prepared.isPublic) return PUBLIC_SUCCESS
  return new Evaluation(request, prepared, options).run()
}

/**
 * One evaluation's state, so that it can stop at a pending verification and resume after it:
 * resuming re-enters the same alternative, whose extractions and earlier outcomes are kept.
 */
class Evaluation {
  readonly #request: RequestLike
  readonly #prepared: PreparedRequirement<unknown>
  readonly #options: EvaluateOptions
  readonly #view: RequestView
  readonly #extracted: (Extracted | undefined)[]
  readonly #outcomes: (VerifyOutcome<object> | undefined)[]
  #best: Candidate | undefined
  /** A presented credential was malformed, rejected, throttled or unverifiable in some alternative. */
  #refused = false
  /** The first `{}` alternative, tried after every other one (Precise rules). */
  #optional = -1
  /** The alternative being evaluated. */
  #at = 0

  constructor(request: RequestLike, prepared: PreparedRequirement<unknown>, options: EvaluateOptions) {
    this.#request = request
    this.#prepared = prepared
    this.#options = options
    this.#view = new RequestView(request)
    const count = prepared.names.length
    this.#extracted = new Array<Extracted | undefined>(count)
    this.#outcomes = new Array<VerifyOutcome<object> | undefined>(count)
  }

  run(): Evaluated {
    const alternatives = this.#prepared.alternatives
    for (; this.#at < alternatives.length; this.#at++) {
      const entries = alternatives[this.#at]!
      if (entries.length === 0) {
        if (this.#optional === -1) this.#optional = this.#at
        continue
      }
      if (!this.#present(entries)) continue
      const verdict = this.#verify(entries)
      if (verdict === true) return success(entries, this.#outcomes, this.#at)
      if (verdict !== false) return verdict
    }
    // `{}` passes only when no presented credential was malformed, rejected or unverifiable: a
    // client that sent a bad credential learns it was not taken.
    if (this.#optional !== -1 && !this.#refused) return anonymous(this.#optional)
    return failure(this.#prepared, this.#best, this.#options)
  }

  #consider(kind: Kind, entry: PreparedEntry | undefined, detail?: string, retryAfter?: number, headers?: Readonly<Record<string, string>>, hint?: ChallengeHint): void {
    if (kind !== 'missing' && kind !== 'scope') this.#refused = true
    if (this.#best === undefined || RANK[kind] > RANK[this.#best.kind]) this.#best = { kind, entry, detail, retryAfter, headers, hint }
  }

  /** Phase 1: presence of every credential of the alternative, cheap and synchronous. */
  #present(entries: readonly PreparedEntry[]): boolean {
    let missing: PreparedEntry | undefined
    for (const entry of entries) {
      const found = (this.#extracted[entry.index] ??= entry.scheme.extract(this.#view))
      if (found.state === 'malformed') {
        this.#consider('malformed', entry, found.detail)
        return false
      }
      if (found.state === 'absent') missing ??= entry
    }
    if (missing === undefined) return true
    this.#consider('missing', missing)
    return false
  }

  /**
   * Phase 2: verification in written order, stopping at the first failure. `true` when every
   * entry passed, `false` when one failed (considered), or the evaluation's answer once a
   * pending verification settles (then the same alternative is re-entered).
   */
  #verify(entries: readonly PreparedEntry[]): boolean | Promise<AuthSuccess | AuthFailure> {
    for (const entry of entries) {
      let outcome = this.#outcomes[entry.index]
      if (outcome === undefined) {
        const credential = (this.#extracted[entry.index] as { credential: unknown }).credential
        let pending: Awaitable<VerifyOutcome<object>>
        try {
          pending = entry.scheme.verify(credential, this.#context(entry))
        } catch (error) {
          throw named(error, entry.name)
        }
        if (isThenable(pending)) {
          return Promise.resolve(pending).then(
            (settled) => {
              this.#outcomes[entry.index] = settled
              return this.run()
            },
            (error: unknown) => {
              throw named(error, entry.name)
            },
          )
        }
        this.#outcomes[entry.index] = outcome = pending
      }
      if (!outcome.ok) {
        this.#consider(outcome.reason === 'unavailable' || outcome.reason === 'rate_limited' ? outcome.reason : 'invalid', entry, outcome.detail, outcome.retryAfter, outcome.headers, outcome.challenge)
        return false
      }
      if (entry.scopes.length > 0) {
        const granted = outcome.scopes ?? []
        for (const scope of entry.scopes) {
          if (!granted.includes(scope)) {
            this.#consider('scope', entry)
            return false
          }
        }
      }
    }
    return true
  }

  #context(entry: PreparedEntry): AuthContext {
    const { env, client } = this.#options
    return typeof client === 'function' ? new LazyClientContext(this.#request, env, entry.scopes, client) : { request: this.#request, env, scopes: entry.scopes, client }
  }
}

function anonymous(alternative: number): AuthSuccess {
  return { ok: true, principals: {}, scopes: [], alternative }
}

function success(entries: readonly PreparedEntry[], outcomes: (VerifyOutcome<object> | undefined)[], alternative: number): AuthSuccess {
  const principals: Record<string, object> = {}
  let scopes: string[] | undefined
  for (const entry of entries) {
    const outcome = outcomes[entry.index] as Extract<VerifyOutcome<object>, { ok: true }>
    // A scheme named `__proto__` must be an own key, not the principals' prototype.
    if (entry.name === '__proto__') Object.defineProperty(principals, entry.name, { value: outcome.principal, enumerable: true, writable: true, configurable: true })
    else principals[entry.name] = outcome.principal
    if (outcome.scopes !== undefined && outcome.scopes.length > 0) {
      if (scopes === undefined) scopes = [...outcome.scopes]
      else for (const scope of outcome.scopes) if (!scopes.includes(scope)) scopes.push(scope)
    }
  }
  return { ok: true, principals, scopes: scopes ?? [], alternative }
}

function named(error: unknown, scheme: string): AuthspecError {
  if (isAuthspecError(error)) {
    if (error.scheme === scheme) return error
    return new AuthspecError(error.code, `${scheme}: ${error.message}`, { scheme, cause: error.cause ?? error })
  }
  return new AuthspecError('ERR_AUTHSPEC_VERIFY', `${scheme}: verification threw`, { scheme, cause: error })
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

function failure(prepared: PreparedRequirement<unknown>, best: Candidate | undefined, options: EvaluateOptions): AuthFailure {
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
