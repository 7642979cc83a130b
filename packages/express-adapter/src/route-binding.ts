import type { DocumentOperation, OperationIndex } from '@authspec/core'
import { METHODS } from 'node:http'
import { templateOf, type Route } from './route-pattern.js'

/** What a route gives a request of one method. */
export type Bound =
  | { readonly kind: 'operation'; readonly operation: DocumentOperation }
  | { readonly kind: 'method'; readonly allow: string }
  | { readonly kind: 'unbound'; readonly label: string }
  | { readonly kind: 'excluded' }

/** `route.all()`: Express 4 marks it `_all`, Express 5 lists every method Node knows. */
export function isAll(route: Route): boolean {
  return route.methods._all === true || METHODS.every((method) => route.methods[method.toLowerCase()] === true)
}

/** The methods a route answers, as Express lists them (`ALL` for `route.all()`). */
export function routeMethods(route: Route): string[] {
  if (isAll(route)) return ['ALL']
  return Object.keys(route.methods)
    .filter((m) => route.methods[m] === true)
    .map((m) => m.toUpperCase())
}

/**
 * Bind a route (its full Express pattern, mounts included) to the operation it implements for
 * a request of `method`: the pattern as an OpenAPI template, looked up in the document's index.
 */
export function bindRoute(
  index: OperationIndex,
  route: Route,
  pattern: string | undefined,
  method: string,
  exclude?: (path: string, method: string) => boolean,
): Bound {
  const all = isAll(route)
  if (pattern !== undefined && exclude?.(pattern, method) === true) return { kind: 'excluded' }
  const label = `${routeMethods(route).join(',')} ${pattern ?? String(route.path)}`
  const template = pattern === undefined ? undefined : templateOf(pattern)
  if (template === undefined) return { kind: 'unbound', label }
  const binding = index.bind(method, template)
  if (binding.kind === 'operation') return binding
  if (binding.kind === 'method' && all) return { kind: 'method', allow: binding.allow.join(', ') }
  return { kind: 'unbound', label }
}
