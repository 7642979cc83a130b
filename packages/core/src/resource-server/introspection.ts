import { AuthspecError, configError, isAuthspecError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import { func, httpUrl, integerAtLeast, positiveInteger, seconds } from '../internal/option-schema.js'
import { Lru } from '../internal/lru.js'
import { readLimited } from '../internal/remote-document.js'
import type { VerifyOutcome } from '../types.js'
import { audienceNames } from '../internal/canonical-uri.js'
import { clientAuthenticator, type IntrospectionClientAuth } from './introspection-client.js'

/** An RFC 7662 §2.2 introspection response of an active token. */
export interface IntrospectionClaims {
  readonly active: true
  readonly scope?: string
  readonly client_id?: string
  readonly username?: string
  readonly token_type?: string
  readonly exp?: number
  readonly iat?: number
  readonly nbf?: number
  readonly sub?: string
  readonly aud?: string | readonly string[]
  readonly iss?: string
  readonly jti?: string
  /** RFC 9449 §6.2: the DPoP key the token is bound to. */
  readonly cnf?: { readonly jkt?: string }
  readonly [claim: string]: unknown
}

/** The principal of an introspected token. */
export interface IntrospectionPrincipal {
  /** The token as received. */
  readonly token: string
  /** The authorization server's answer. */
  readonly claims: IntrospectionClaims
}

/** Options of RFC 7662 token introspection (`httpBearer({ introspection })`, `oauth2({ introspection })`). */
export interface IntrospectionOptions {
  /** The authorization server's `introspection_endpoint` (absolute http(s) URL). */
  endpoint: string
  /** How this resource server authenticates to it. */
  client: IntrospectionClientAuth
  /** Expected `iss` of the answer (checked when the answer has one; also `authorization_servers`). Required: pass `false` to skip. */
  issuer: string | false
  /**
   * The answer's `aud` must name one of these. @default the auth's `resource` (RFC 8707,
   * canonical-URI form); pass `false` to skip the check
   */
  audience?: string | readonly string[] | false
  /** Abort the introspection call after this long (then 503). @default 5000 (ms) */
  timeoutDuration?: number
  /** Leeway for `exp` and `nbf`, in seconds (0–300). @default 5 */
  clockTolerance?: number
  /** Cache of answers, or `false`. Active answers live ≤ the token's `exp` and ≤ `maxTtl`; inactive ones `negativeTtl`. @default { max: 1000, maxTtl: 60, negativeTtl: 5 } (seconds) */
  cache?: { max?: number; maxTtl?: number; negativeTtl?: number } | false
  /** The `fetch` to use. @default globalThis.fetch */
  fetch?: (url: string, init: RequestInit) => Promise<Response>
  /** Longer tokens are rejected (401) without a call, in characters. @default 8192 */
  maxTokenLength?: number
}

type Outcome = VerifyOutcome<IntrospectionPrincipal>

interface Entry {
  readonly outcome: Outcome
  readonly until: number
}

const INTROSPECTION_OPTIONS = optionNames<IntrospectionOptions>()('endpoint', 'client', 'issuer', 'audience', 'timeoutDuration', 'clockTolerance', 'cache', 'fetch', 'maxTokenLength')
const CACHE_OPTIONS = optionNames<Exclude<IntrospectionOptions['cache'], false | undefined>>()('max', 'maxTtl', 'negativeTtl')
const MAX_ANSWER_BYTES = 64 * 1024

const invalid = (detail: string): Outcome => Object.freeze({ ok: false, reason: 'invalid', detail })
const unavailable = (detail: string): Outcome => Object.freeze({ ok: false, reason: 'unavailable', detail, retryAfter: 5 })
const INACTIVE = invalid('token not active')

function ttlSeconds(name: string, value: unknown, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback
  return seconds(`introspection: ${name}`, value, { max }, `a finite number between 0 and ${max}`)
}

/**
 * True for a 400 whose `error` is `unsupported_token_type` (RFC 7009 §2.2.1; oidc-provider answers
 * it for JWT access tokens): the server judged the token, not our request. Other 400s (a bad client
 * authentication) stay 503: a configuration fault is never blamed on the client's token.
 */
async function tokenTypeRefused(response: Response): Promise<boolean> {
  try {
    const body = JSON.parse(await readLimited(response, MAX_ANSWER_BYTES)) as { error?: unknown } | null
    return body?.error === 'unsupported_token_type'
  } catch {
    return false
  }
}

/** A checked introspection verifier: `verify(token)` and what the scheme needs to know. */
export interface Introspector {
  verify(token: string): Outcome | Promise<Outcome>
  readonly issuer: string | undefined
  /** `createAuth({ resource })` binds the default audience. */
  bindResource(resource: string | undefined): void
  /** Calls made to the endpoint (for tests and metrics). */
  readonly calls: number
}

/** The resolved options and the running state of one introspector. */
interface IntrospectorState {
  readonly endpoint: string
  readonly issuer: string | undefined
  /** The `audience` option as given (`undefined`: `createAuth({ resource })` binds it). */
  readonly given: IntrospectionOptions['audience']
  audiences: readonly string[] | undefined
  canonicalResource: string | undefined
  /** In milliseconds. */
  readonly timeout: number
  /** In seconds. */
  readonly tolerance: number
  readonly maxTokenLength: number
  readonly fetch: NonNullable<IntrospectionOptions['fetch']> | undefined
  readonly authenticate: ReturnType<typeof clientAuthenticator>
  readonly lru: Lru<string, Entry> | undefined
  /** In milliseconds. */
  readonly maxTtl: number
  /** In milliseconds. */
  readonly negativeTtl: number
  readonly inFlight: Map<string, Promise<Outcome>>
  calls: number
}

function resolveAudience(given: IntrospectionOptions['audience']): readonly string[] | undefined {
  if (given !== undefined && given !== false && !(typeof given === 'string' ? given.length > 0 : Array.isArray(given) && given.length > 0 && given.every((a) => typeof a === 'string' && a.length > 0))) {
    throw configError('introspection: audience must be a non-empty string, a non-empty array of strings, or false')
  }
  return given === undefined || given === false ? undefined : typeof given === 'string' ? [given] : [...given]
}

function resolveCache(cache: IntrospectionOptions['cache']): Pick<IntrospectorState, 'lru' | 'maxTtl' | 'negativeTtl'> {
  if (cache === false) return { lru: undefined, maxTtl: 60_000, negativeTtl: 5_000 }
  if (cache !== null && typeof cache === 'object') checkOptions('introspection: cache', cache, CACHE_OPTIONS)
  const { max = 1000, ...ttl } = cache ?? {}
  const lru = new Lru<string, Entry>(positiveInteger('introspection: cache.max', max))
  return { lru, maxTtl: ttlSeconds('cache.maxTtl', ttl.maxTtl, 60) * 1000, negativeTtl: ttlSeconds('cache.negativeTtl', ttl.negativeTtl, 5) * 1000 }
}

/** Check the options (throws `ERR_AUTHSPEC_CONFIG`) into a fresh state. */
function resolveIntrospection(options: IntrospectionOptions): IntrospectorState {
  if (options === null || typeof options !== 'object') throw configError('introspection: options object required')
  checkOptions('introspection', options, INTROSPECTION_OPTIONS)
  const endpoint = httpUrl('introspection: endpoint', options.endpoint)
  if (options.issuer === undefined) throw configError('introspection: issuer is required (pass issuer: false to skip the check)')
  if (options.issuer !== false && (typeof options.issuer !== 'string' || options.issuer.length === 0)) throw configError('introspection: issuer must be a non-empty string or false')
  const issuer = options.issuer === false ? undefined : options.issuer
  const audiences = resolveAudience(options.audience)
  const timeout = ttlSeconds('timeoutDuration', options.timeoutDuration, 5000)
  if (timeout <= 0) throw configError('introspection: timeoutDuration must be > 0')
  const tolerance = ttlSeconds('clockTolerance', options.clockTolerance, 5, 300)
  const maxTokenLength = integerAtLeast('introspection: maxTokenLength', options.maxTokenLength ?? 8192, 16)
  if (options.fetch !== undefined) func('introspection: fetch', options.fetch)
  const authenticate = clientAuthenticator(options.client, issuer ?? endpoint)
  const cache = resolveCache(options.cache)
  return { endpoint, issuer, given: options.audience, audiences, canonicalResource: undefined, timeout, tolerance, maxTokenLength, fetch: options.fetch, authenticate, ...cache, inFlight: new Map(), calls: 0 }
}

/** The outcome of an answer and until when (ms) it may be cached. */
function judge(state: IntrospectorState, token: string, answer: Record<string, unknown>, now: number): { outcome: Outcome; until: number } {
  const { negativeTtl, tolerance, audiences } = state
  if (answer.active !== true) return { outcome: INACTIVE, until: now + negativeTtl }
  const { exp, nbf, iss, aud } = answer
  for (const [name, value] of [['exp', exp], ['nbf', nbf], ['iat', answer.iat]] as const) {
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return { outcome: invalid(`${name} invalid`), until: now + negativeTtl }
  }
  if (typeof exp === 'number' && now >= (exp + tolerance) * 1000) return { outcome: invalid('token expired'), until: now + negativeTtl }
  if (typeof nbf === 'number' && now < (nbf - tolerance) * 1000) return { outcome: invalid('token not yet valid'), until: 0 }
  if (state.issuer !== undefined && iss !== undefined && iss !== state.issuer) return { outcome: invalid('iss invalid'), until: now + negativeTtl }
  if (state.canonicalResource !== undefined && !audienceNames(aud, state.canonicalResource)) return { outcome: invalid(aud === undefined ? 'aud missing' : 'aud invalid'), until: now + negativeTtl }
  if (audiences !== undefined) {
    const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
    if (!named.some((a) => typeof a === 'string' && audiences.includes(a))) return { outcome: invalid(aud === undefined ? 'aud missing' : 'aud invalid'), until: now + negativeTtl }
  }
  if (answer.scope !== undefined && typeof answer.scope !== 'string') return { outcome: invalid('scope invalid'), until: now + negativeTtl }
  const scopes = Object.freeze(typeof answer.scope === 'string' ? answer.scope.split(' ').filter((s) => s.length > 0) : [])
  const principal: IntrospectionPrincipal = Object.freeze({ token, claims: Object.freeze(answer) as IntrospectionClaims })
  const until = Math.min(now + state.maxTtl, typeof exp === 'number' ? (exp + tolerance) * 1000 : Infinity)
  return { outcome: Object.freeze({ ok: true, principal, scopes }), until }
}

function remember(state: IntrospectorState, token: string, outcome: Outcome): Outcome {
  state.lru?.set(token, { outcome, until: Date.now() + state.negativeTtl })
  return outcome
}

/** Ask the endpoint about `token`, judge the answer and cache the outcome. */
async function call(state: IntrospectorState, token: string): Promise<Outcome> {
  state.calls++
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
  const body = new URLSearchParams({ token, token_type_hint: 'access_token' })
  await state.authenticate(headers, body)
  let answer: unknown
  try {
    const response = await (state.fetch ?? fetch)(state.endpoint, { method: 'POST', headers, body: body.toString(), redirect: 'manual', signal: AbortSignal.timeout(state.timeout) })
    if (response.status === 400 && (await tokenTypeRefused(response))) return remember(state, token, invalid('token type not introspectable'))
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined)
      return unavailable(`introspection endpoint answered ${response.status}`)
    }
    answer = JSON.parse(await readLimited(response, MAX_ANSWER_BYTES))
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name
    return unavailable(name === 'TimeoutError' ? 'introspection endpoint timed out' : 'introspection endpoint unreachable or its answer unreadable')
  }
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return unavailable('introspection answer is not a JSON object')
  const now = Date.now()
  const { outcome, until } = judge(state, token, answer as Record<string, unknown>, now)
  if (state.lru !== undefined && until > now) state.lru.set(token, { outcome, until })
  return outcome
}

/** The cached outcome of `token`, or `undefined` (an expired entry is dropped). */
function cached(lru: Lru<string, Entry>, token: string): Outcome | undefined {
  const entry = lru.get(token)
  if (entry === undefined) return undefined
  if (Date.now() < entry.until) return entry.outcome
  lru.delete(token)
  return undefined
}

function verify(state: IntrospectorState, token: string): Outcome | Promise<Outcome> {
  if (token.length > state.maxTokenLength) return invalid('token too large')
  if (state.given === undefined && state.canonicalResource === undefined) {
    throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'introspection: no audience: use the scheme through createAuth({ resource }) or give it an audience')
  }
  if (state.lru !== undefined) {
    const hit = cached(state.lru, token)
    if (hit !== undefined) return hit
  }
  let pending = state.inFlight.get(token)
  if (pending === undefined) {
    pending = call(state, token).finally(() => state.inFlight.delete(token))
    state.inFlight.set(token, pending)
  }
  return pending.catch((error: unknown) => {
    if (isAuthspecError(error)) throw error
    return unavailable('introspection failed')
  })
}

/**
 * RFC 7662 introspection with a bounded cache: `active` must be `true`; `exp`, `nbf`, `iss` and
 * `aud` are checked; concurrent requests with the same token share one call; an endpoint error,
 * a non-JSON answer or a timeout is `unavailable` (503). The token is never in an error or detail.
 */
export function createIntrospector(options: IntrospectionOptions): Introspector {
  const state = resolveIntrospection(options)
  return {
    issuer: state.issuer,
    get calls() {
      return state.calls
    },
    bindResource: (resource) => {
      if (state.given === undefined) {
        if (resource === undefined) throw configError('introspection: audience is required (pass audience: false to skip the check, or give createAuth a resource)')
        state.canonicalResource = resource
        state.audiences = undefined
      }
    },
    verify: (token) => verify(state, token),
  }
}
