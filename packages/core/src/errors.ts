/**
 * Stable error codes thrown by authspec.
 *
 * - `ERR_AUTHSPEC_CONFIG`: misconfiguration, thrown when a scheme, an auth or a requirement is created.
 * - `ERR_AUTHSPEC_VERIFY`: a user `verify` callback threw or returned something that is neither an
 *   object (the principal) nor `null`/`undefined`. Never turned into a grant.
 * - `ERR_AUTHSPEC_UNAVAILABLE`: remote material (JWKS, discovery) could not be had when asked for
 *   eagerly (`warmup()`); during requests the same condition is a 503 result, not an error.
 * - `ERR_AUTHSPEC_INTERNAL`: an invariant of authspec itself was broken (a bug: please report it).
 */
export type AuthspecErrorCode = 'ERR_AUTHSPEC_CONFIG' | 'ERR_AUTHSPEC_VERIFY' | 'ERR_AUTHSPEC_UNAVAILABLE' | 'ERR_AUTHSPEC_INTERNAL'

/** The one error class authspec throws. Expected authentication failures are values, not errors. */
export class AuthspecError extends Error {
  /** A stable, machine-readable code. */
  readonly code: AuthspecErrorCode
  /** The scheme the error is about, when there is one. */
  readonly scheme?: string
  /** HTTP status an adapter should answer with when this error escapes to it. */
  readonly status: number

  constructor(code: AuthspecErrorCode, message: string, options: { cause?: unknown; scheme?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AuthspecError'
    this.code = code
    this.status = code === 'ERR_AUTHSPEC_UNAVAILABLE' ? 503 : 500
    if (options.scheme !== undefined) this.scheme = options.scheme
  }
}

/** True when `value` is an {@link AuthspecError} (also across bundle copies, by name and code). */
export function isAuthspecError(value: unknown): value is AuthspecError {
  if (value instanceof AuthspecError) return true
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'AuthspecError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('ERR_AUTHSPEC_')
  )
}

/** Shorthand for a configuration error. */
export function configError(message: string, scheme?: string, cause?: unknown): AuthspecError {
  return new AuthspecError('ERR_AUTHSPEC_CONFIG', message, { scheme, cause })
}
