import { routeTemplate, type BindableRoute } from '@authspec/core/adapter'
import { METHODS } from 'node:http'
import type { Route } from './route-pattern.js'

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

/** A route at its full Express pattern (mounts included; `undefined` when not a string) as the core binds it. */
export function bindable(route: Route, pattern: string | undefined): BindableRoute {
  return {
    path: pattern,
    template: pattern === undefined ? undefined : routeTemplate(pattern, 'parentheses')?.template,
    methods: isAll(route) ? 'ALL' : routeMethods(route),
    display: pattern ?? String(route.path),
  }
}
