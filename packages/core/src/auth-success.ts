import type { PrincipalOf, Requirement, SchemeMap } from './types.js'

/** One passing alternative: its index, and the principals of exactly its schemes. */
export interface AlternativeSuccess<P, A extends number = number> {
  readonly ok: true
  /** Principals by scheme name, of the alternative that passed. */
  readonly principals: P
  /** Granted scopes of the passing alternative (union over its schemes). */
  readonly scopes: readonly string[]
  /** Index of the alternative that passed; `-1` for a public (`[]`) requirement. */
  readonly alternative: A
}

type PrincipalMap<S extends SchemeMap> = { [K in keyof S]: PrincipalOf<S[K]> }

/** Scheme names used anywhere in a requirement (every alternative). */
type NamesOf<R> = R extends readonly (infer O)[] ? (O extends unknown ? keyof O : never) : never

/**
 * The principals of one alternative `O` of a requirement naming `All`: each of `O`'s schemes is
 * present; every other scheme of the requirement is declared absent (`?: undefined`), so
 * `principals.X` reads on the whole union and narrows with `alternative`.
 */
type AlternativePrincipals<S extends SchemeMap, O, All extends PropertyKey> = {
  [K in keyof O & keyof S]-?: PrincipalOf<S[K]>
} & { [K in Exclude<All & keyof S, keyof O>]?: undefined } extends infer P
  ? { [K in keyof P]: P[K] }
  : never

/** The index type a tuple's mapped key stands for (`"1"` → `1`). */
type IndexOf<I> = I extends `${infer N extends number}` ? N : never

/** One {@link AlternativeSuccess} per alternative of a tuple requirement. */
type TupleSuccess<S extends SchemeMap, R extends readonly unknown[]> = {
  [I in keyof R]: AlternativeSuccess<AlternativePrincipals<S, R[I], NamesOf<R>>, IndexOf<I>>
}[number]

/**
 * Authentication passed. For a requirement whose alternatives are known (passed inline, `as
 * const`, or prepared with `auth.prepare`), a union discriminated by the literal
 * `alternative`: `if (result.alternative === 0) result.principals.Key` has the principal of
 * `Key`'s verify, and schemes of other alternatives are `undefined`. A public `[]` requirement
 * gives `alternative: -1` and no principals. A requirement typed only as `Requirement<S>` (its
 * length unknown) gives `alternative: number` and every principal optional.
 */
export type AuthSuccess<S extends SchemeMap = SchemeMap, R = Requirement<S>> = [R] extends [never]
  ? AlternativeSuccess<Partial<PrincipalMap<S>>>
  : R extends unknown
    ? R extends readonly []
      ? AlternativeSuccess<{ [K in never]: never }, -1>
      : R extends readonly unknown[]
        ? number extends R['length']
          ? AlternativeSuccess<Partial<PrincipalMap<S>>>
          : TupleSuccess<S, R>
        : AlternativeSuccess<Partial<PrincipalMap<S>>>
    : never

/**
 * The principals of a success: with one alternative in the requirement, each of its schemes is
 * present; with several, a union of one object per alternative (narrow with `result.alternative`).
 */
export type PrincipalsFor<S extends SchemeMap, R> = AuthSuccess<S, R>['principals']
