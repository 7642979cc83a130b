import { AuthspecError, configError, isAuthspecError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
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

function seconds(name: string, value: unknown, fallback: number, max = Infinity): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) throw configError(`introspection: ${name} must be a finite number between 0 and ${max}`)
  return value
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

/**
 * RFC 7662 introspection with a bounded cache: `active` must be `true`; `exp`, `nbf`, `iss` and
 * `aud` are checked; concurrent requests with the same token share one call; an endpoint error,
 * a non-JSON answer or a timeout is `unavailable` (503). The token is never in an error or detail.
 */
export function createIntrospector(options: IntrospectionOptions): Introspector {
  if (options === null || typeof options !== 'object') throw configError('introspection: options object required')
  checkOptions('introspection', options, INTROSPECTION_OPTIONS)
  const { endpoint } = options
  if (typeof endpoint !== 'string' || !URL.canParse(endpoint) || !/^https?:$/.test(new URL(endpoint).protocol)) {
    throw configError('introspection: endpoint must be an absolute http(s) URL')
  }
  if (options.issuer === undefined) throw configError('introspection: issuer is required (pass issuer: false to skip the check)')
  if (options.issuer !== false && (typeof options.issuer !== 'string' || options.issuer.length === 0)) throw configError('introspection: issuer must be a non-empty string or false')
  const issuer = options.issuer === false ? undefined : options.issuer
  const given = options.audience
  if (given !== undefined && given !== false && !(typeof given === 'string' ? given.length > 0 : Array.isArray(given) && given.length > 0 && given.every((a) => typeof a === 'string' && a.length > 0))) {
    throw configError('introspection: audience must be a non-empty string, a non-empty array of strings, or false')
  }
  let audiences: readonly string[] | undefined = given === undefined || given === false ? undefined : typeof given === 'string' ? [given] : [...given]
  let canonicalResource: string | undefined
  const timeout = seconds('timeoutDuration', options.timeoutDuration, 5000)
  if (timeout <= 0) throw configError('introspection: timeoutDuration must be > 0')
  const tolerance = seconds('clockTolerance', options.clockTolerance, 5, 300)
  const maxTokenLength = options.maxTokenLength ?? 8192
  if (!Number.isSafeInteger(maxTokenLength) || maxTokenLength < 16) throw configError('introspection: maxTokenLength must be an integer ≥ 16')
  if (options.fetch !== undefined && typeof options.fetch !== 'function') throw configError('introspection: fetch must be a function')
  const authenticate = clientAuthenticator(options.client, issuer ?? endpoint)
  let lru: Lru<string, Entry> | undefined
  let maxTtl = 60_000
  let negativeTtl = 5_000
  if (options.cache !== false) {
    if (options.cache !== null && typeof options.cache === 'object') checkOptions('introspection: cache', options.cache, CACHE_OPTIONS)
    const { max = 1000, ...ttl } = options.cache ?? {}
    if (!Number.isSafeInteger(max) || max < 1) throw configError('introspection: cache.max must be a positive integer')
    lru = new Lru(max)
    maxTtl = seconds('cache.maxTtl', ttl.maxTtl, 60) * 1000
    negativeTtl = seconds('cache.negativeTtl', ttl.negativeTtl, 5) * 1000
  }
  const inFlight = new Map<string, Promise<Outcome>>()
  let calls = 0

  const judge = (token: string, answer: Record<string, unknown>, now: number): { outcome: Outcome; until: number } => {
    if (answer.active !== true) return { outcome: INACTIVE, until: now + negativeTtl }
    const { exp, nbf, iss, aud } = answer
    for (const [name, value] of [['exp', exp], ['nbf', nbf], ['iat', answer.iat]] as const) {
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) return { outcome: invalid(`${name} invalid`), until: now + negativeTtl }
    }
    if (typeof exp === 'number' && now >= (exp + tolerance) * 1000) return { outcome: invalid('token expired'), until: now + negativeTtl }
    if (typeof nbf === 'number' && now < (nbf - tolerance) * 1000) return { outcome: invalid('token not yet valid'), until: 0 }
    if (issuer !== undefined && iss !== undefined && iss !== issuer) return { outcome: invalid('iss invalid'), until: now + negativeTtl }
    if (canonicalResource !== undefined && !audienceNames(aud, canonicalResource)) return { outcome: invalid(aud === undefined ? 'aud missing' : 'aud invalid'), until: now + negativeTtl }
    if (audiences !== undefined) {
      const named = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : []
      if (!named.some((a) => typeof a === 'string' && audiences!.includes(a))) return { outcome: invalid(aud === undefined ? 'aud missing' : 'aud invalid'), until: now + negativeTtl }
    }
    if (answer.scope !== undefined && typeof answer.scope !== 'string') return { outcome: invalid('scope invalid'), until: now + negativeTtl }
    const scopes = Object.freeze(typeof answer.scope === 'string' ? answer.scope.split(' ').filter((s) => s.length > 0) : [])
    const principal: IntrospectionPrincipal = Object.freeze({ token, claims: Object.freeze(answer) as IntrospectionClaims })
    const until = Math.min(now + maxTtl, typeof exp === 'number' ? (exp + tolerance) * 1000 : Infinity)
    return { outcome: Object.freeze({ ok: true, principal, scopes }), until }
  }

  const call = async (token: string): Promise<Outcome> => {
    calls++
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
    const body = new URLSearchParams({ token, token_type_hint: 'access_token' })
    await authenticate(headers, body)
    let answer: unknown
    try {
      const response = await (options.fetch ?? fetch)(endpoint, { method: 'POST', headers, body: body.toString(), redirect: 'manual', signal: AbortSignal.timeout(timeout) })
      if (response.status === 400 && (await tokenTypeRefused(response))) return remember(token, invalid('token type not introspectable'))
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
    const { outcome, until } = judge(token, answer as Record<string, unknown>, now)
    if (lru !== undefined && until > now) lru.set(token, { outcome, until })
    return outcome
  }

  const remember = (token: string, outcome: Outcome): Outcome => {
    lru?.set(token, { outcome, until: Date.now() + negativeTtl })
    return outcome
  }

  const introspector: Introspector = {
    issuer,
    get calls() {
      return calls
    },
    bindResource: (resource) => {
      if (given === undefined) {
        if (resource === undefined) throw configError('introspection: audience is required (pass audience: false to skip the check, or give createAuth a resource)')
        canonicalResource = resource
        audiences = undefined
      }
    },
    verify: (token) => {
      if (token.length > maxTokenLength) return invalid('token too large')
      if (given === undefined && canonicalResource === undefined) {
        throw new AuthspecError('ERR_AUTHSPEC_CONFIG', 'introspection: no audience: use the scheme through createAuth({ resource }) or give it an audience')
      }
      if (lru !== undefined) {
        const entry = lru.get(token)
        if (entry !== undefined) {
          if (Date.now() < entry.until) return entry.outcome
          lru.delete(token)
        }
      }
      let pending = inFlight.get(token)
      if (pending === undefined) {
        pending = call(token).finally(() => inFlight.delete(token))
        inFlight.set(token, pending)
      }
      return pending.catch((error: unknown) => {
        if (isAuthspecError(error)) throw error
        return unavailable('introspection failed')
      })
    },
  }
  return introspector
}
