import { configError } from '../errors.js'
import { checkOptions } from '../internal/check-options.js'
import type { AuthContext } from '../types.js'
import { checkBindingOption, resolveBinding, type BindingKind } from './workers-binding.js'

// How the Durable Object stores (counters, DPoP proof ids) reach their `AuthspecCounters` objects.

/** The part of a Durable Object namespace binding the store uses. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown
  get(id: never): { fetch(input: string, init: { method: string; body: string }): Promise<Response> }
}

/** The `AuthspecCounters` namespace binding, as the store named `store` looks for it. */
function authspecCountersBinding(store: string): BindingKind<DurableObjectNamespaceLike> {
  return {
    store,
    what: 'a Durable Object namespace',
    declared: '[[durable_objects.bindings]] name = "…", class_name = "AuthspecCounters"',
    is: (value): value is DurableObjectNamespaceLike =>
      typeof value === 'object' && value !== null && typeof (value as DurableObjectNamespaceLike).idFromName === 'function' && typeof (value as DurableObjectNamespaceLike).get === 'function',
  }
}

/** The options of a store on `AuthspecCounters` objects. */
export interface AuthspecCountersOptions {
  namespace: DurableObjectNamespaceLike | ((env: never) => DurableObjectNamespaceLike)
}

/** POST `body` to the `AuthspecCounters` object named `name`: its JSON answer (a non-2xx answer rejects). */
export type CountersPost = (name: string, body: object) => Promise<unknown>

/**
 * Check the options of the store named `store` now (config errors at creation), and return how a
 * request reaches `AuthspecCounters` objects: the binding is found in the request's `env` once,
 * then each object by name.
 */
export function authspecCountersObjects(store: string, options: AuthspecCountersOptions, known: readonly string[]): (ctx: AuthContext | undefined) => CountersPost {
  if (options === null || typeof options !== 'object') throw configError(`${store}: options object required`)
  checkOptions(store, options, known)
  const kind = authspecCountersBinding(store)
  const { namespace } = options
  checkBindingOption(kind, namespace)
  return (ctx) => {
    const binding = resolveBinding(kind, namespace, ctx?.env)
    return async (name, body) => {
      const response = await binding.get(binding.idFromName(name) as never).fetch('https://authspec-counters/', { method: 'POST', body: JSON.stringify(body) })
      if (!response.ok) throw new Error(`${store}: the AuthspecCounters object answered ${response.status}`)
      return response.json()
    }
  }
}
