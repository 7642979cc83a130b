import { AuthspecError, isAuthspecError } from './errors.js'
import { RequestView } from './internal/request-view.js'
import type { PreparedEntry, PreparedRequirement } from './requirement.js'
import type { AuthFailure, AuthSuccess } from './result.js'
import { failure, RANK, type Candidate, type FailureOptions, type Kind } from './evaluate-failure.js'
import type { AuthContext, Awaitable, ChallengeHint, Extracted, RequestLike, VerifyOutcome } from './types.js'
import { isThenable } from './internal/verify-callback.js'

const PUBLIC_SUCCESS: AuthSuccess = Object.freeze({ ok: true, principals: Object.freeze({}), scopes: Object.freeze([]), alternative: -1 })

/** Options of one evaluation. */
export interface EvaluateOptions extends FailureOptions {
  readonly env: unknown
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
  const { alternatives } = prepared
  if (alternatives.length === 1 && alternatives[0]!.length === 1) return evaluateOne(request, prepared, alternatives[0]![0]!, options)
  return new Evaluation(request, prepared, options).run()
}

/**
 * The usual requirement, one scheme (`[{ ApiKeyAuth: [] }]`): extract, verify and succeed with
 * no evaluation state. Anything else (absent, malformed, refused, short of a scope) hands what
 * was found to an {@link Evaluation}, which shapes the failure without extracting or verifying
 * again, so both paths answer alike by construction.
 */
function evaluateOne(request: RequestLike, prepared: PreparedRequirement<unknown>, entry: PreparedEntry, options: EvaluateOptions): Evaluated {
  const view = new RequestView(request)
  const found = entry.scheme.extract(view)
  if (found.state !== 'present') return judgeOne(request, prepared, options, view, entry, found, undefined)
  let pending: Awaitable<VerifyOutcome<object>>
  try {
    pending = entry.scheme.verify(found.credential, contextOf(request, options, entry))
  } catch (error) {
    throw named(error, entry.name)
  }
  if (!isThenable(pending)) return judgeOne(request, prepared, options, view, entry, found, pending)
  return Promise.resolve(pending).then(
    (outcome) => judgeOne(request, prepared, options, view, entry, found, outcome),
    (error: unknown) => {
      throw named(error, entry.name)
    },
  )
}

/**
 * A one-scheme requirement's answer once its credential was extracted (and, when present,
 * verified: `outcome`): the success, or an {@link Evaluation} seeded with both to shape the failure.
 */
function judgeOne(request: RequestLike, prepared: PreparedRequirement<unknown>, options: EvaluateOptions, view: RequestView, entry: PreparedEntry, found: Extracted, outcome: VerifyOutcome<object> | undefined): Evaluated {
  if (outcome !== undefined && outcome.ok && grants(entry, outcome)) return successOne(entry, outcome)
  return new Evaluation(request, prepared, options, view).seed(entry, found, outcome).run()
}

/** The context a verifier is called with. */
function contextOf(request: RequestLike, options: EvaluateOptions, entry: PreparedEntry): AuthContext {
  const { env, client } = options
  return typeof client === 'function' ? new LazyClientContext(request, env, entry.scopes, client) : { request, env, scopes: entry.scopes, client }
}

/** Whether a passed verification holds every scope the entry requires. */
function grants(entry: PreparedEntry, outcome: Extract<VerifyOutcome<object>, { ok: true }>): boolean {
  if (entry.scopes.length === 0) return true
  const granted = outcome.scopes ?? []
  for (const scope of entry.scopes) if (!granted.includes(scope)) return false
  return true
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

  constructor(request: RequestLike, prepared: PreparedRequirement<unknown>, options: EvaluateOptions, view = new RequestView(request)) {
    this.#request = request
    this.#prepared = prepared
    this.#options = options
    this.#view = view
    const count = prepared.names.length
    this.#extracted = new Array<Extracted | undefined>(count)
    this.#outcomes = new Array<VerifyOutcome<object> | undefined>(count)
  }

  /** Start from what was already extracted (and verified) for `entry`: neither is done again. */
  seed(entry: PreparedEntry, found: Extracted, outcome: VerifyOutcome<object> | undefined): this {
    this.#extracted[entry.index] = found
    this.#outcomes[entry.index] = outcome
    return this
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
      if (verdict === true) return successOf(entries, this.#outcomes, this.#at)
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
          pending = entry.scheme.verify(credential, contextOf(this.#request, this.#options, entry))
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
      if (!grants(entry, outcome)) {
        this.#consider('scope', entry)
        return false
      }
    }
    return true
  }
}

function anonymous(alternative: number): AuthSuccess {
  return { ok: true, principals: {}, scopes: [], alternative }
}

/** Set a principal as an own property (a scheme named `__proto__` must not become the prototype). */
function setPrincipal(principals: Record<string, object>, name: string, principal: object): void {
  if (name === '__proto__') Object.defineProperty(principals, name, { value: principal, enumerable: true, writable: true, configurable: true })
  else principals[name] = principal
}

function successOf(entries: readonly PreparedEntry[], outcomes: readonly (VerifyOutcome<object> | undefined)[], alternative: number): AuthSuccess {
  const principals: Record<string, object> = {}
  let scopes: string[] | undefined
  for (const entry of entries) {
    const outcome = outcomes[entry.index] as Extract<VerifyOutcome<object>, { ok: true }>
    setPrincipal(principals, entry.name, outcome.principal)
    if (outcome.scopes !== undefined && outcome.scopes.length > 0) {
      if (scopes === undefined) scopes = [...outcome.scopes]
      else for (const scope of outcome.scopes) if (!scopes.includes(scope)) scopes.push(scope)
    }
  }
  return { ok: true, principals, scopes: scopes ?? [], alternative }
}

/** {@link successOf} for the one entry of a one-scheme requirement. */
function successOne(entry: PreparedEntry, outcome: Extract<VerifyOutcome<object>, { ok: true }>): AuthSuccess {
  const principals: Record<string, object> = {}
  setPrincipal(principals, entry.name, outcome.principal)
  const { scopes } = outcome
  return { ok: true, principals, scopes: scopes !== undefined && scopes.length > 0 ? [...scopes] : [], alternative: 0 }
}

function named(error: unknown, scheme: string): AuthspecError {
  if (isAuthspecError(error)) {
    if (error.scheme === scheme) return error
    return new AuthspecError(error.code, `${scheme}: ${error.message}`, { scheme, cause: error.cause ?? error })
  }
  return new AuthspecError('ERR_AUTHSPEC_VERIFY', `${scheme}: verification threw`, { scheme, cause: error })
}

