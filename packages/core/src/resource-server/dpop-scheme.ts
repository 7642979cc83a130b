import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { findAuthorization, isB64token } from '../internal/authorization-header.js'
import type { RequestView } from '../internal/request-view.js'
import { isThenable } from '../internal/verify-callback.js'
import type { AuthContext, ChallengeHint, Extracted, Scheme, VerifyOutcome } from '../types.js'
import { authChallenge } from './challenge.js'
import { checkProof, type DpopConfig, type DpopNonce } from './dpop-proof.js'
import { MemoryReplayStore, type DpopReplayStore } from './dpop-replay.js'
import { positiveNumber, seconds } from '../internal/option-schema.js'

/** DPoP settings of a scheme (RFC 9449). */
export interface DpopOptions {
  /** `allowed`: DPoP-bound tokens and plain bearer tokens; `required`: DPoP only. */
  mode: 'allowed' | 'required'
  /** Proof algorithms accepted (`algs` of the challenge). @default ["ES256", "ES384", "EdDSA", "Ed25519", "PS256", "RS256"] */
  algorithms?: readonly string[]
  /** The public origin (`https://api.example.com`) the proofs' `htu` must name, for servers behind proxies. @default the auth's `resource` origin, else the request URL's */
  origin?: string
  /** Proofs whose `iat` is older than this are refused, in seconds. @default 60 */
  maxAge?: number
  /** Leeway for `iat`, in seconds (0–300). @default 5 */
  clockTolerance?: number
  /**
   * Where proof ids (`jti`) are remembered against replay: a shared store (`redisReplayStore`
   * from `@authspec/redis`) makes a proof usable once across every instance.
   * @default a `MemoryReplayStore` of 100000 ids per scheme (this process only)
   */
  replayStore?: DpopReplayStore
  /** Longest wait for the replay store, in milliseconds; a slower (or failed) answer is 503, never a grant. @default 2000 */
  replayTimeout?: number
  /** Server nonces (RFC 9449 §8): proofs must carry one `check` accepts; failures answer `use_dpop_nonce` with `DPoP-Nonce: current()`. */
  nonce?: DpopNonce
}

/** The `dpop` option of JWT, oauth2, OIDC and introspection schemes. */
export type DpopOption = 'allowed' | 'required' | DpopOptions

/** A DPoP credential: the access token and its proof. */
interface DpopCredential {
  readonly dpop: true
  readonly token: string
  readonly proof: string | null
}

const DEFAULT_ALGORITHMS = Object.freeze(['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'])
const SUPPORTED = new Set(['ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'PS256', 'PS384', 'PS512', 'RS256', 'RS384', 'RS512'])
const DPOP_OPTIONS = optionNames<DpopOptions>()('mode', 'algorithms', 'origin', 'maxAge', 'clockTolerance', 'replayStore', 'replayTimeout', 'nonce')

function dpopSeconds(kind: string, name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback
  return seconds(`${kind}: dpop.${name}`, value, { max }, `a number of seconds between 0 and ${max}`)
}

function resolveDpop(kind: string, option: DpopOption): DpopConfig {
  const options: DpopOptions = typeof option === 'string' ? { mode: option } : option
  if (options === null || typeof options !== 'object') throw configError(`${kind}: dpop must be "allowed", "required" or an options object`)
  checkOptions(`${kind}: dpop`, options, DPOP_OPTIONS)
  if (options.mode !== 'allowed' && options.mode !== 'required') throw configError(`${kind}: dpop.mode must be "allowed" or "required"`)
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS
  if (!Array.isArray(algorithms) || algorithms.length === 0 || algorithms.some((alg) => !SUPPORTED.has(alg as string))) {
    throw configError(`${kind}: dpop.algorithms must be asymmetric JWS algorithms (${[...SUPPORTED].join(', ')})`)
  }
  const origin = options.origin
  if (origin !== undefined && (typeof origin !== 'string' || !URL.canParse(origin) || new URL(origin).origin !== origin.replace(/\/$/, ''))) {
    throw configError(`${kind}: dpop.origin must be an origin such as "https://api.example.com"`)
  }
  const replay = options.replayStore ?? new MemoryReplayStore()
  if (typeof replay?.use !== 'function') throw configError(`${kind}: dpop.replayStore must have use(id, expiresAt)`)
  const nonce = options.nonce
  if (nonce !== undefined && (typeof nonce?.current !== 'function' || typeof nonce.check !== 'function')) throw configError(`${kind}: dpop.nonce must have current() and check(nonce)`)
  return {
    required: options.mode === 'required',
    algorithms: Object.freeze([...algorithms]),
    origin: origin === undefined ? undefined : new URL(origin).origin,
    maxAge: dpopSeconds(kind, 'maxAge', options.maxAge, 60, 3600),
    tolerance: dpopSeconds(kind, 'clockTolerance', options.clockTolerance, 5, 300),
    replay,
    replayTimeout: positiveNumber(`${kind}: dpop.replayTimeout`, options.replayTimeout ?? 2000, 'milliseconds'),
    nonce,
  }
}

type Outcome = VerifyOutcome<{ readonly claims: object }>

const boundKey = (outcome: Outcome): unknown => (outcome.ok ? (outcome.principal.claims as { cnf?: { jkt?: unknown } }).cnf?.jkt : undefined)

function refuse(detail: string, hint: ChallengeHint): Outcome {
  return Object.freeze({ ok: false, reason: 'invalid', detail, challenge: hint })
}

const BEARER_HINT: ChallengeHint = Object.freeze({ scheme: 'Bearer' })
const DPOP_HINT: ChallengeHint = Object.freeze({ scheme: 'DPoP' })
const PROOF_HINT: ChallengeHint = Object.freeze({ scheme: 'DPoP', error: 'invalid_dpop_proof' })
const BOUND_AS_BEARER = refuse('a DPoP-bound token must be sent with the DPoP scheme', BEARER_HINT)

/** Point a failure's challenge at `hint.scheme`, keeping its own hint otherwise. */
function addressed(outcome: Outcome, hint: ChallengeHint): Outcome {
  if (outcome.ok) return outcome
  return { ...outcome, challenge: { ...hint, ...outcome.challenge, scheme: hint.scheme! } }
}

function then(value: Outcome | Promise<Outcome>, next: (outcome: Outcome) => Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
  return isThenable(value) ? Promise.resolve(value).then(next) : next(value)
}

type BaseVerify = (credential: unknown, ctx: AuthContext) => Outcome | Promise<Outcome>

/** A DPoP-bound token presented as Bearer is refused. */
const bearerOnly = (outcome: Outcome): Outcome => (boundKey(outcome) === undefined ? outcome : BOUND_AS_BEARER)

/** {@link bearerOnly}, its failure's challenge pointed at Bearer. */
const bearerAddressed = (outcome: Outcome): Outcome => addressed(bearerOnly(outcome), BEARER_HINT)

const nonceHint = (config: DpopConfig): ChallengeHint => ({ scheme: 'DPoP', error: 'use_dpop_nonce', headers: { 'DPoP-Nonce': config.nonce!.current() } })

/** `Authorization: DPoP <token>` with its `DPoP` proof header, else what the bearer scheme extracts. */
function dpopExtractor(baseExtract: Scheme<object>['extract']): (view: RequestView) => Extracted {
  return (view) => {
    const found = findAuthorization(view.header('authorization'), 'DPoP')
    if (found.state === 'malformed') return found
    if (found.state === 'present') {
      if (!isB64token(found.value)) return { state: 'malformed', detail: 'the DPoP token is not a valid b64token' }
      // `access_token` in the query too (allowQuery): two tokens, one request.
      if (baseExtract(view).state !== 'absent') return { state: 'malformed', detail: 'the access token is given in more than one place' }
      const credential: DpopCredential = { dpop: true, token: found.value, proof: view.header('dpop') }
      return { state: 'present', credential }
    }
    return baseExtract(view)
  }
}

/** The token, then its proof: the proof's key must be the one the token is bound to. */
function verifyDpop(config: DpopConfig, baseVerify: BaseVerify, credential: DpopCredential, ctx: AuthContext): Outcome | Promise<Outcome> {
  const { token, proof } = credential
  if (proof === null || proof.length === 0) return config.nonce === undefined ? refuse('DPoP proof missing', PROOF_HINT) : refuse('DPoP proof missing', nonceHint(config))
  return then(baseVerify(token, ctx), async (outcome) => {
    if (!outcome.ok) return addressed(outcome, DPOP_HINT)
    const jkt = boundKey(outcome)
    if (typeof jkt !== 'string') return refuse('the token is not DPoP-bound', DPOP_HINT)
    const checked = await checkProof(proof, token, ctx, config, jkt)
    if ('detail' in checked) {
      if (checked.unavailable === true) return { ok: false, reason: 'unavailable', detail: checked.detail, retryAfter: 1 }
      return refuse(checked.detail, checked.nonce === true ? nonceHint(config) : PROOF_HINT)
    }
    return outcome
  })
}

/**
 * RFC 9449 on a bearer-token scheme whose principal has `claims` (JWT, introspection). Without
 * `option`, only the refusal of DPoP-bound tokens (`cnf.jkt`) presented as Bearer is added.
 * With it, `Authorization: DPoP <token>` plus a `DPoP` proof header is read and checked, and the
 * challenges name `DPoP algs="…"` (next to Bearer when `allowed`).
 */
export function withDpop<P extends { readonly claims: object }>(kind: string, scheme: Scheme<P>, option: DpopOption | undefined): Scheme<P> {
  const baseVerify = scheme.verify as BaseVerify
  if (option === undefined) {
    return { ...scheme, verify: ((credential: unknown, ctx: AuthContext) => then(baseVerify(credential, ctx), bearerOnly)) as Scheme<P>['verify'] }
  }
  const config = resolveDpop(kind, option)
  const { required, algorithms: algs } = config
  return {
    ...scheme,
    // The Authorization auth-scheme a request must use (for the "can never pass" check of ANDed schemes).
    authScheme: required && scheme.authScheme !== undefined ? 'DPoP' : scheme.authScheme,
    extract: dpopExtractor(scheme.extract),
    verify: ((credential: unknown, ctx: AuthContext) => {
      if (typeof credential === 'object' && credential !== null && (credential as DpopCredential).dpop === true) return verifyDpop(config, baseVerify, credential as DpopCredential, ctx)
      if (required) return refuse('this API requires DPoP-bound tokens', DPOP_HINT)
      return then(baseVerify(credential, ctx), bearerAddressed)
    }) as Scheme<P>['verify'],
    challenge: (params) => (required ? authChallenge('DPoP', params, algs) : `${authChallenge('Bearer', params)}, ${authChallenge('DPoP', params, algs)}`),
    toOpenAPI: (version) => ({ ...scheme.toOpenAPI(version), 'x-dpop': { required, algorithms: [...algs] } }),
    dpop: {
      algorithms: algs,
      required,
      get origin() {
        return config.origin
      },
    },
    bindResource: (resource) => {
      scheme.bindResource?.(resource)
      if (config.origin === undefined && resource !== undefined && (typeof option === 'string' || option.origin === undefined)) config.origin = new URL(resource).origin
    },
  }
}
