import { AuthspecError } from '../errors.js'
import type { Awaitable, VerifyOutcome } from '../types.js'

/** The shared rejection outcome (no detail: never say why a secret did not match). */
export const INVALID: VerifyOutcome<never> = Object.freeze({ ok: false, reason: 'invalid' })

/** True for a promise or any thenable. */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function settle<P extends object>(
  value: unknown,
  scheme: string,
  scopes: ((principal: P) => readonly string[] | undefined) | undefined,
): VerifyOutcome<P> {
  if (value === null || value === undefined) return INVALID
  if (typeof value !== 'object') {
    throw new AuthspecError(
      'ERR_AUTHSPEC_VERIFY',
      `verify of ${scheme} returned a ${typeof value}; return a principal object, or null/undefined to reject`,
      { scheme },
    )
  }
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
 * Run a user `verify` callback and turn what it returns into a {@link VerifyOutcome}: an object
 * is the principal, `null`/`undefined` a rejection; anything else, or a throw, is a bug in the
 * callback and becomes an `ERR_AUTHSPEC_VERIFY` error (never a grant). Sync callbacks stay sync.
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
