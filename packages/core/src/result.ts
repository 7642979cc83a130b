import type { AuthSuccess } from './auth-success.js'
import type { Requirement, SchemeMap } from './types.js'

export type { AlternativeSuccess, AuthSuccess, PrincipalsFor } from './auth-success.js'

/** The `code` of a problem+json failure body. */
export type FailureCode =
  | 'invalid_request'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'credentials_missing'
  | 'temporarily_unavailable'
  | 'rate_limited'

/** RFC 9457 problem details, as authspec sends them. */
export interface ProblemDetails {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: FailureCode
}

/** Authentication failed: a value with a ready response. */
export interface AuthFailure {
  readonly ok: false
  /** 400, 401, 403, 429 or 503. */
  readonly status: 400 | 401 | 403 | 429 | 503
  readonly code: FailureCode
  /** The scheme whose outcome decided the failure (none when nothing was sent). */
  readonly scheme: string | undefined
  /** One `WWW-Authenticate` challenge per scheme of the requirement (none on 503). */
  readonly challenges: readonly string[]
  /**
   * The headers of the default response, as plain data: `WWW-Authenticate` (one entry per
   * challenge), `Content-Type: application/problem+json`, `Cache-Control: no-store`, `Vary`,
   * `Retry-After`. `toHeaders(failure.headers)` gives them without `Content-Type`, for a custom body.
   */
  readonly headers: Readonly<Record<string, string | readonly string[]>>
  /** The problem+json body. */
  readonly problem: ProblemDetails
  /** The response to send: built on first access, by `renderError` when the auth has one. */
  readonly response: Response
}

/** What `authenticate` resolves to. */
export type AuthResult<S extends SchemeMap = SchemeMap, R = Requirement<S>> = AuthSuccess<S, R> | AuthFailure

/** Replaces the default failure response. */
export type RenderError = (failure: Omit<AuthFailure, 'response'>) => Response

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
}

/**
 * A failure's headers as a `Headers`, for a custom error body: `WWW-Authenticate` (one entry per
 * challenge), `Vary`, `Cache-Control` and `Retry-After`, but **not** `Content-Type`, which
 * describes the default problem+json body: a custom body sets its own.
 */
export function toHeaders(record: AuthFailure['headers']): Headers {
  const headers = new Headers()
  for (const key in record) {
    if (key.toLowerCase() === 'content-type') continue
    const value = record[key]!
    if (typeof value === 'string') headers.set(key, value)
    else for (const item of value) headers.append(key, item)
  }
  return headers
}

/** The default failure response: problem+json with the failure's headers. */
export function defaultResponse(failure: Omit<AuthFailure, 'response'>): Response {
  const headers = toHeaders(failure.headers)
  headers.set('Content-Type', 'application/problem+json')
  return new Response(JSON.stringify(failure.problem), { status: failure.status, headers })
}

/** Build a failure value. */
export function createFailure(input: {
  status: AuthFailure['status']
  code: FailureCode
  scheme: string | undefined
  detail: string
  challenges: readonly string[]
  vary: readonly string[]
  retryAfter?: number | undefined
  /** Extra headers (`RateLimit`, `RateLimit-Policy` on 429; `DPoP-Nonce` on a DPoP 401). */
  extraHeaders?: Readonly<Record<string, string>> | undefined
  render: RenderError | undefined
}): AuthFailure {
  const headers: Record<string, string | readonly string[]> = {
    'Content-Type': 'application/problem+json',
    'Cache-Control': 'no-store',
  }
  if (input.challenges.length > 0) headers['WWW-Authenticate'] = input.challenges
  if (input.vary.length > 0) headers.Vary = input.vary.join(', ')
  if (input.extraHeaders !== undefined) for (const name in input.extraHeaders) headers[name] = input.extraHeaders[name]!
  if (input.status === 503 || input.status === 429) {
    const retryAfter = input.retryAfter !== undefined && Number.isFinite(input.retryAfter) ? input.retryAfter : 5
    headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfter)))
  }
  const problem: ProblemDetails = {
    type: 'about:blank',
    title: TITLES[input.status]!,
    status: input.status,
    detail: input.detail,
    code: input.code,
  }
  const render = input.render ?? defaultResponse
  const base: Omit<AuthFailure, 'response'> = {
    ok: false,
    status: input.status,
    code: input.code,
    scheme: input.scheme,
    challenges: input.challenges,
    headers,
    problem,
  }
  let response: Response | undefined
  return {
    ...base,
    get response(): Response {
      // `render` gets the failure without `response`, so it cannot recurse into itself.
      response ??= render(base)
      return response
    },
  }
}
