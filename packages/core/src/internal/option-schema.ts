/**
 * The checkers a factory resolves its options with: each takes the option's label (the factory
 * and the option path, e.g. `"apiKey: timeout"`), checks the value and returns it typed, or
 * throws `ERR_AUTHSPEC_CONFIG` with `"<label> must be <what is expected>"`. Unknown option names
 * are refused by `checkOptions` (check-options.ts), with the nearest-name hint.
 *
 * The number checkers take an optional `expected` wording for the few options whose message
 * predates these checkers; new options use the default wording.
 */
import { configError } from '../errors.js'

/** Throw `"<label> must be <expected>"` as a config error. */
export function refuse(label: string, expected: string): never {
  throw configError(`${label} must be ${expected}`)
}

/** A safe integer ≥ 1. */
export function positiveInteger(label: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) refuse(label, 'a positive integer')
  return value
}

/** A safe integer ≥ `min`. */
export function integerAtLeast(label: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) refuse(label, `an integer ≥ ${min}`)
  return value
}

/** A whole number of seconds ≥ `min` (a `max-age`). */
export function wholeSeconds(label: string, value: unknown, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) refuse(label, `a whole number of seconds ≥ ${min}`)
  return value
}

/** A finite number > 0, in `unit` (e.g. `"milliseconds"`). */
export function positiveNumber(label: string, value: unknown, unit: string): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) refuse(label, `a positive number of ${unit}`)
  return value
}

/** The bounds of a number of seconds, both included. */
export interface SecondsRange {
  /** @default 0 */
  readonly min?: number
  /** @default Infinity */
  readonly max?: number
}

function secondsWording(min: number, max: number): string {
  if (max !== Infinity) return `a finite number of seconds between ${min} and ${max}`
  return min > 0 ? `at least ${min} (seconds)` : `a finite number of seconds ≥ ${min}`
}

/**
 * A finite number of seconds within `range` (by default ≥ 0).
 *
 * @param expected the wording after "must be", when it is not the default one
 */
export function seconds(label: string, value: unknown, range: SecondsRange = {}, expected?: string): number {
  const { min = 0, max = Infinity } = range
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) refuse(label, expected ?? secondsWording(min, max))
  return value
}

/** A finite number of milliseconds ≥ `min`; the problem as a string, or `undefined` when fine. */
export function millisecondsProblem(label: string, value: unknown, min = 0): string | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) return `${label} must be a finite number of milliseconds ≥ ${min}`
  return undefined
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
function alternatives(values: readonly string[]): string {
  const quoted = values.map((value) => JSON.stringify(value))
  return quoted.length < 2 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)!}`
}

/** One of `values`. */
export function oneOf<const T extends string>(label: string, value: unknown, values: readonly T[]): T {
  if (!values.includes(value as T)) refuse(label, alternatives(values))
  return value as T
}

/**
 * A function.
 *
 * @param expected the wording after "must be", e.g. `"a function (path, method) => boolean"`
 */
export function func<F extends (...args: never[]) => unknown>(label: string, value: unknown, expected = 'a function'): F {
  if (typeof value !== 'function') refuse(label, expected)
  return value as F
}

/** True when `value` is an absolute http: or https: URL. */
export function isHttpUrl(value: unknown): value is string {
  return typeof value === 'string' && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol)
}

/** An absolute http: or https: URL. */
export function httpUrl(label: string, value: unknown): string {
  if (!isHttpUrl(value)) refuse(label, 'an absolute http(s) URL')
  return value
}

/** A string of at least one character. */
export function nonEmptyString(label: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) refuse(label, 'a non-empty string')
  return value
}
