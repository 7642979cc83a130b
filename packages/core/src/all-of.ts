import { setOwn } from './internal/set-own.js'
import type { Requirement } from './types.js'

/**
 * AND of security requirements, as OpenAPI `security`: every alternative of one combined with
 * every alternative of the others, schemes and scopes united. `[]` (public) is neutral, and a
 * requirement ANDed with an equal one is itself. Used where guards stack (a router-level guard and
 * a route guard) or templates overlap. Scheme names are set as own properties (`__proto__` safe).
 *
 * @example allOf([{ ApiKey: [] }], [{ Jwt: ['a'] }, { Basic: [] }]) // [{ ApiKey: [], Jwt: ['a'] }, { ApiKey: [], Basic: [] }]
 */
export function allOf(...requirements: Requirement[]): Array<Record<string, string[]>> {
  let result: Array<Record<string, string[]>> = []
  let seen: string | undefined
  for (const requirement of requirements) {
    if (requirement.length === 0) continue
    const key = JSON.stringify(requirement)
    if (key === seen) continue
    result = seen === undefined ? copy(requirement) : cross(result, requirement)
    seen = seen === undefined ? key : JSON.stringify(result)
  }
  return result
}

function copy(requirement: Requirement): Array<Record<string, string[]>> {
  return cross([{}], requirement)
}

function cross(a: ReadonlyArray<Record<string, string[]>>, b: Requirement): Array<Record<string, string[]>> {
  const out: Array<Record<string, string[]>> = []
  for (const left of a) {
    for (const right of b) {
      const merged: Record<string, string[]> = {}
      for (const object of [left, right]) {
        for (const [name, scopes] of Object.entries(object)) {
          if (!Object.hasOwn(merged, name)) setOwn(merged, name, [])
          const list = merged[name]!
          for (const scope of scopes ?? []) if (!list.includes(scope)) list.push(scope)
        }
      }
      out.push(merged)
    }
  }
  return out
}
