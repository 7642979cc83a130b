import type { AuthSuccess } from './result.js'

/**
 * Two guards' successes on one request as one (stacked guards: a path guard, then a route
 * guard): the principals of both (the later guard's principal wins for a scheme both name),
 * scopes unioned, the later guard's `alternative` and other fields. Scheme names are set as own
 * properties, so `__proto__` is a name like any other.
 */
export function mergeSuccess<T extends AuthSuccess>(previous: AuthSuccess, next: T): T {
  const principals: Record<string, unknown> = {}
  for (const source of [previous.principals, next.principals] as Record<string, unknown>[]) {
    for (const name of Object.keys(source)) Object.defineProperty(principals, name, { value: source[name], enumerable: true, writable: true, configurable: true })
  }
  return { ...next, principals, scopes: [...new Set([...previous.scopes, ...next.scopes])] }
}
