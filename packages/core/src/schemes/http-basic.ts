import { configError } from '../errors.js'
import { findAuthorization } from '../internal/authorization-header.js'
import { decodeBase64, decodeUtf8 } from '../internal/base64.js'
import { challenge } from '../internal/quoted-string.js'
import type { RequestView } from '../internal/request-view.js'
import { timingSafeEqual } from '../internal/timing-safe-equal.js'
import { INVALID, runVerify } from '../internal/verify-callback.js'
import type { AuthContext, Awaitable, Extracted, Scheme, VerifyOutcome } from '../types.js'
import { optionNames } from '../internal/check-options.js'
import { COMMON_OPTIONS, checkCommon, checkFunction, decorate, type CommonSchemeOptions, type ScopedOptions, type VerifyCallback } from './common.js'

/** The decoded RFC 7617 credentials. */
export interface BasicCredentials {
  readonly username: string
  readonly password: string
}

/** httpBasic with a verify callback. Compare secrets with `timingSafeEqual`. */
export interface HttpBasicVerifyOptions<P extends object> extends CommonSchemeOptions, ScopedOptions<P> {
  /** Check the credentials; return the principal, or `null`/`undefined` to reject. */
  verify: VerifyCallback<BasicCredentials, P>
  users?: undefined
}

/** httpBasic with static users, compared in constant time. */
export interface HttpBasicStaticOptions extends CommonSchemeOptions, ScopedOptions<{ username: string }> {
  /**
   * Passwords by username. Every username and every password is compared on each request, so
   * timing reveals neither whether a username exists nor a password's length. The principal is
   * `{ username }`.
   */
  users: Readonly<Record<string, string>>
  verify?: undefined
}

/** Every option name of {@link httpBasic}. */
export const HTTP_BASIC_OPTIONS = optionNames<HttpBasicVerifyOptions<object> | HttpBasicStaticOptions>()(...COMMON_OPTIONS, 'verify', 'users', 'scopes')

function extractBasic(view: RequestView): Extracted {
  const found = findAuthorization(view.header('authorization'), 'Basic')
  if (found.state !== 'present') return found
  const bytes = decodeBase64(found.value)
  if (bytes === undefined) return { state: 'malformed', detail: 'the Basic credentials are not valid base64' }
  const text = decodeUtf8(bytes)
  if (text === undefined) return { state: 'malformed', detail: 'the Basic credentials are not valid UTF-8' }
  const colon = text.indexOf(':')
  if (colon === -1) return { state: 'malformed', detail: 'the Basic credentials have no colon between user-id and password' }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || c === 0x7f) return { state: 'malformed', detail: 'the Basic credentials contain control characters' }
  }
  const credential: BasicCredentials = { username: text.slice(0, colon), password: text.slice(colon + 1) }
  return { state: 'present', credential }
}

/**
 * HTTP Basic authentication (RFC 7617, OpenAPI `type: http, scheme: basic`). Credentials are
 * decoded as UTF-8 and split on the first colon; passwords may contain colons and may be empty.
 *
 * @example httpBasic({ realm: 'pets', verify: ({ username, password }) => users.check(username, password) })
 */
export function httpBasic(options: HttpBasicStaticOptions): Scheme<{ username: string }>
export function httpBasic<P extends object>(options: HttpBasicVerifyOptions<P>): Scheme<P>
export function httpBasic(options: HttpBasicVerifyOptions<object> | HttpBasicStaticOptions): Scheme<object> {
  checkCommon('httpBasic', options, HTTP_BASIC_OPTIONS)
  checkFunction('httpBasic', 'scopes', options.scopes, false)
  const scopes = options.scopes as ((p: object) => readonly string[] | undefined) | undefined
  let verify: (credentials: BasicCredentials, ctx: AuthContext) => Awaitable<VerifyOutcome<object>>
  if (options.users !== undefined) {
    if (options.verify !== undefined) throw configError('httpBasic: give either verify or users, not both')
    const users: unknown = options.users
    if (users === null || typeof users !== 'object' || Array.isArray(users)) {
      throw configError('httpBasic: users must be an object of passwords by username')
    }
    const entries = Object.entries(users as Record<string, unknown>)
    if (entries.length === 0) throw configError('httpBasic: users is empty')
    for (const [username, password] of entries) {
      if (username.length === 0 || username.includes(':')) throw configError(`httpBasic: username ${JSON.stringify(username)} is empty or contains a colon`)
      if (typeof password !== 'string' || password.length === 0) throw configError(`httpBasic: the password of "${username}" is empty`)
    }
    const names = entries.map(([username]) => username)
    const passwords = entries.map(([, password]) => password as string)
    const principals = names.map((username) => Object.freeze({ username }))
    verify = (credentials, ctx) => {
      let match = -1
      for (let i = 0; i < names.length; i++) {
        // Both fields are compared for every user, whatever the outcome: no early exit.
        const same = Number(timingSafeEqual(credentials.username, names[i]!)) & Number(timingSafeEqual(credentials.password, passwords[i]!))
        if (same === 1 && match === -1) match = i
      }
      return match === -1 ? INVALID : runVerify('httpBasic', () => principals[match], credentials, ctx, scopes)
    }
  } else {
    checkFunction('httpBasic', 'verify', options.verify, true)
    const userVerify = options.verify
    verify = (credentials, ctx) => runVerify('httpBasic', userVerify, credentials, ctx, scopes)
  }
  return {
    type: 'http',
    realm: options.realm,
    scopeMode: options.scopes === undefined ? 'none' : 'any',
    varyHeaders: ['Authorization'],
    authScheme: 'Basic',
    extract: extractBasic,
    verify: (credential, ctx) => verify(credential as BasicCredentials, ctx),
    challenge: ({ realm, error, scope }) =>
      challenge('Basic', [
        ['realm', realm],
        ['charset', 'UTF-8'],
        ['error', error],
        ['scope', scope && scope.length > 0 ? scope.join(' ') : undefined],
      ]),
    toOpenAPI: () => decorate({ type: 'http', scheme: 'basic' }, options),
  }
}
