import { AuthspecError } from '../errors.js'
import { isPlainObject } from './plain-object.js'
import type { Awaitable, VerifyOutcome } from './outcome-types.js'

/** The shared rejection outcome (no detail: never say why a secret did not match). */
export const INVALID: VerifyOutcome<never> = Object.freeze({ ok: false, reason: 'invalid' })

/** True for a promise or any thenable. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

/** `Object.prototype.toString` tags of objects that are never a principal. */
const NOT_PRINCIPAL = new Set(['Response', 'Request', 'Headers', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Error', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Promise'])

/**
 * What keeps an object from being a principal (an array, a `Response`, `Request`, `Headers`,
 * `Map`, `Set`, `Error`, boxed primitive or thenable), or `undefined` for a principal. Plain
 * and null-prototype objects take the fast path.
 */
function notPrincipal(value: object): string | undefined {
  if (isPlainObject(value)) return undefined
  if (Array.isArray(value)) return 'an array'
  if (value instanceof Error) return 'an Error'
  if (isThenable(value)) return 'a thenable'
  const tag = Object.prototype.toString.call(value).slice(8, -1)
  return NOT_PRINCIPAL.has(tag) ? `a ${tag}` : undefined
}

/**
 * An RFC 7662 introspection answer (an object with an own `active`) grants only when `active`
 * is `true` and the time is within its `exp` and `nbf` (seconds; present ones must be numbers).
 */
function inactive(value: object): boolean {
  if (!Object.hasOwn(value, 'active')) return false
  const { active, exp, nbf } = value as { active: unknown; exp?: unknown; nbf?: unknown }
  if (active !== true) return true
  const now = Date.now() / 1000
  if (exp !== undefined && !(typeof exp === 'number' && now < exp)) return true
  return nbf !== undefined && !(typeof nbf === 'number' && nbf <= now)
}

function settle<P extends object>(
  value: unknown,
  scheme: string,
  scopes: ((principal: P) => readonly string[] | undefined) | undefined,
): VerifyOutcome<P> {
  if (value === null || value === undefined) return INVALID
  const refused = typeof value !== 'object' ? `a ${typeof value}` : notPrincipal(value)
  if (refused !== undefined) {
    throw new AuthspecError(
      'ERR_AUTHSPEC_VERIFY',
      `verify of ${scheme} returned ${refused}; return a principal object, or null/undefined to reject`,
      { scheme },
    )
  }
  if (inactive(value as object)) return INVALID
  const principal = value as P
  if (scopes === undefined) return { ok: true, principal }
  let granted: readonly string[] | undefined
  try {
    granted = scopes(principal)
  } catch (cause) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${scheme} threw`, { scheme, cause })
  }
  if (granted !== undefined && !Array.isArray(granted)) {
    throw new AuthspecError('ERR_AUTHSPEC_VERIFY', `scopes of ${scheme} must return an array of strings`, { scheme })
  }
  return { ok: true, principal, scopes: granted ?? [] }
}

function wrap(scheme: string, cause: unknown): AuthspecError {
  if (cause instanceof AuthspecError) return cause
  return new AuthspecError('ERR_AUTHSPEC_VERIFY', `verify of ${scheme} threw`, { scheme, cause })
}

/**
 * Run a user `verify` callback and turn what it returns into a {@link VerifyOutcome}: a
 * principal object grants, `null`/`undefined` and an inactive introspection answer reject;
 * anything else (a primitive, an array, a `Response`, `Request`, `Headers`, `Map`, `Set`,
 * `Error`, boxed primitive) or a throw is a bug in the callback and becomes an
 * `ERR_AUTHSPEC_VERIFY` error, never a grant. Sync callbacks stay sync.
 */
export function runVerify<C, P extends object>(
  scheme: string,
  verify: (credential: C, ctx: never) => unknown,
  credential: C,
  ctx: unknown,
  scopes?: (principal: P) => readonly string[] | undefined,
): Awaitable<VerifyOutcome<P>> {
  let value: unknown
  try {
    value = (verify as (credential: C, ctx: unknown) => unknown)(credential, ctx)
  } catch (cause) {
    throw wrap(scheme, cause)
  }
  if (value !== null && typeof value === 'object' && isThenable(value)) {
    return Promise.resolve(value as PromiseLike<unknown>).then(
      (resolved) => settle<P>(resolved, scheme, scopes),
      (cause: unknown) => {
        throw wrap(scheme, cause)
      },
    )
  }
  return settle<P>(value, scheme, scopes)
}
