import { configError } from '../errors.js'
import { checkOptions, optionNames } from '../internal/check-options.js'
import type { AuthContext, Awaitable, SecuritySchemeObject } from '../types.js'
import { func } from '../internal/option-schema.js'

/** Options every scheme factory accepts. */
export interface CommonSchemeOptions {
  /** OpenAPI `description` of the scheme. */
  description?: string
  /** `realm` of this scheme's challenges. @default the `createAuth({ realm })` value, else `"api"` */
  realm?: string
  /** OpenAPI specification extensions (`x-…` keys), emitted unchanged. */
  extensions?: Record<`x-${string}`, unknown>
}

/** The option names of {@link CommonSchemeOptions}. */
export const COMMON_OPTIONS = optionNames<CommonSchemeOptions>()('description', 'realm', 'extensions')

/** A user verify callback: a principal object grants, `null`/`undefined` rejects. */
export type VerifyCallback<C, P extends object, Env = unknown> = (
  credential: C,
  ctx: AuthContext<Env>,
) => Awaitable<P | null | undefined>

/** Options of schemes that may carry scopes (or roles) in requirements. */
export interface ScopedOptions<P> {
  /**
   * The scopes (or roles) a principal holds. When given, requirements may ask scopes of this
   * scheme and a shortfall answers 403 `insufficient_scope`; when omitted, asking scopes of it
   * is a config error.
   */
  scopes?: (principal: P) => readonly string[] | undefined
}

/** Attach `description` and `x-` extensions to an emitted scheme object. */
export function decorate(object: Record<string, unknown>, options: CommonSchemeOptions): SecuritySchemeObject {
  if (options.description !== undefined) object.description = options.description
  if (options.extensions !== undefined) {
    for (const [key, value] of Object.entries(options.extensions)) {
      if (!key.startsWith('x-')) throw configError(`extension "${key}" must start with "x-"`)
      object[key] = value
    }
  }
  return object as unknown as SecuritySchemeObject
}

/**
 * Check the options every factory shares, and that every option name is one of `known` (the
 * factory's list); throws `ERR_AUTHSPEC_CONFIG`.
 */
export function checkCommon(kind: string, options: CommonSchemeOptions | undefined, known: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw configError(`${kind}: options object required`)
  checkOptions(kind, options, known)
  if (options.realm !== undefined && typeof options.realm !== 'string') throw configError(`${kind}: realm must be a string`)
  if (options.description !== undefined && typeof options.description !== 'string') {
    throw configError(`${kind}: description must be a string`)
  }
  if (options.extensions !== undefined) {
    for (const key of Object.keys(options.extensions)) {
      if (!key.startsWith('x-')) throw configError(`${kind}: extension "${key}" must start with "x-"`)
    }
  }
}

/** Check that `fn`, when given, is a function. */
export function checkFunction(kind: string, name: string, fn: unknown, required: boolean): void {
  if (fn === undefined && !required) return
  func(`${kind}: ${name}`, fn)
}
