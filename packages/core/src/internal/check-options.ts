import { configError } from '../errors.js'

/** Levenshtein distance of two short strings (option names). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution))
    }
    previous = current
  }
  return previous[b.length]!
}

/**
 * The known name nearest to `name` by edit distance, case-insensitive; a name that contains the
 * other (`timeout` in `timeoutDuration`, `ttl` in `maxTtl`) counts as one edit away. The first of
 * a tie wins.
 */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Infinity
  const lower = name.toLowerCase()
  for (const candidate of known) {
    const other = candidate.toLowerCase()
    const contains = lower.length > 1 && (other.includes(lower) || lower.includes(other))
    const d = Math.min(distance(lower, other), contains ? 1 + Math.abs(other.length - lower.length) / 100 : Infinity)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

/** Every key of every member of a union. */
type KeysOf<T> = T extends unknown ? keyof T & string : never

/**
 * The option names of a factory, frozen. The type parameter `T` is the options type (a union for
 * overloaded factories): the list must name every key of it (a missing one is a type error) and
 * nothing else, so an option added to the type cannot be forgotten here.
 */
export function optionNames<T>() {
  return <const L extends readonly KeysOf<T>[]>(
    ...names: L & ([Exclude<KeysOf<T>, L[number]>] extends [never] ? unknown : { missing: Exclude<KeysOf<T>, L[number]> })
  ): L => Object.freeze([...names]) as unknown as L
}

/**
 * The problem with option names `known` does not list, naming the nearest known one for each,
 * or `undefined` when there is none. Only own enumerable string keys are looked at.
 */
export function unknownOptions(options: object, known: readonly string[]): string | undefined {
  let unknown: string[] | undefined
  for (const name in options) {
    if (!Object.hasOwn(options, name) || known.includes(name)) continue
    ;(unknown ??= []).push(name)
  }
  if (unknown === undefined) return undefined
  const hints = unknown.map((name) => {
    const hint = nearest(name, known)
    return hint === undefined ? `"${name}"` : `"${name}" (did you mean "${hint}"?)`
  })
  return `unknown option${unknown.length > 1 ? 's' : ''} ${hints.join(', ')}; known options: ${known.join(', ')}`
}

/**
 * Refuse an option name `known` does not list: a typo (`jwksUrl`, `verfy`, `key`) fails at
 * start-up with the nearest known name, instead of being silently ignored.
 * Throws `ERR_AUTHSPEC_CONFIG`.
 *
 * @param kind the factory (and option path), e.g. `"jwtBearer"` or `"oauth2: token"`
 */
export function checkOptions(kind: string, options: object, known: readonly string[], scheme?: string): void {
  const problem = unknownOptions(options, known)
  if (problem !== undefined) throw configError(`${kind}: ${problem}`, scheme)
}
