import { configError } from '../errors.js'

/** How a store finds its Workers binding: the binding itself, or a function of the request's `env`. */
export type BindingOption<B> = B | ((env: never) => B)

/** One kind of Workers binding a store needs. */
export interface BindingKind<B> {
  /** The factory, for messages: `"kvKeyStore"`. */
  readonly store: string
  /** What the binding is, for messages: `"a KV namespace"`. */
  readonly what: string
  /** The wrangler configuration that declares it, for messages: `[[kv_namespaces]] binding = "…"`. */
  readonly declared: string
  /** True when `value` has the methods the store calls. */
  is(value: unknown): value is B
}

function described(value: unknown): string {
  if (value === undefined || value === null) return String(value)
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`
  return 'an object without the binding\'s methods'
}

/**
 * Check the `namespace` option when the store is created: a binding given directly must be one
 * now (a function of `env` can only be checked per request). Throws `ERR_AUTHSPEC_CONFIG`.
 */
export function checkBindingOption<B>(kind: BindingKind<B>, namespace: unknown): void {
  if (typeof namespace === 'function') return
  if (!kind.is(namespace)) throw configError(`${kind.store}: namespace must be ${kind.what} binding or a function of env returning one, got ${described(namespace)}`)
}

/**
 * The binding of a request. A missing or misnamed binding is a misconfiguration, not an outage:
 * it throws `ERR_AUTHSPEC_CONFIG` (the request fails through the framework's error path, a 500
 * that the platform logs), never a 503 that reads as "retry later", never a grant.
 */
export function resolveBinding<B>(kind: BindingKind<B>, namespace: BindingOption<B>, env: unknown): B {
  if (typeof namespace !== 'function') return namespace
  let found: unknown
  try {
    found = (namespace as (env: unknown) => unknown)(env)
  } catch (cause) {
    throw configError(`${kind.store}: the namespace function threw while looking up the binding${noEnv(env)}`, undefined, cause)
  }
  if (kind.is(found)) return found
  throw configError(
    `${kind.store}: the namespace function returned ${described(found)}, not ${kind.what} binding: ` +
      `check that the name it reads from env is the one declared in wrangler.toml (${kind.declared})${noEnv(env)}`,
  )
}

function noEnv(env: unknown): string {
  return env === undefined ? '; env is undefined: this adapter passed no bindings (Hono passes c.env; Express: the env option of requireAuth / enforceOpenAPI)' : ''
}
