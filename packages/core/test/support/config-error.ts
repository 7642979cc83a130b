import { describe, expect, it } from 'vitest'

// Shared by the unknown-option tests of core, Hono and Express (imported by relative path).

/** What a config error carries that the tests look at. */
export interface ConfigErrorShape {
  readonly code: string
  readonly message: string
  readonly scheme?: string
}

/** Run `make` and return the config error it throws (the test fails when it throws none). */
export function configErrorOf(make: () => unknown): ConfigErrorShape {
  try {
    make()
  } catch (error) {
    expect(error).toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_CONFIG' })
    return error as ConfigErrorShape
  }
  throw new Error('expected ERR_AUTHSPEC_CONFIG, nothing was thrown')
}

/** Await `make` and return the config error it throws or rejects with (the test fails otherwise). */
export async function asyncConfigErrorOf(make: () => unknown): Promise<ConfigErrorShape> {
  try {
    await make()
  } catch (error) {
    expect(error).toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_CONFIG' })
    return error as ConfigErrorShape
  }
  throw new Error('expected ERR_AUTHSPEC_CONFIG, nothing was thrown')
}

/** One misspelt option: the factory (as its message names it), the typo, the option meant, and the call. */
export type TypoCase = [factory: string, typo: string, nearest: string, make: () => unknown]

/**
 * Register one test per case: the call throws (or rejects with) `ERR_AUTHSPEC_CONFIG` whose
 * message names the factory and `"<typo>" (did you mean "<nearest>"?)`.
 */
export function describeTypos(title: string, cases: readonly TypoCase[], extra?: () => void): void {
  describe(title, () => {
    it.each(cases)('%s: "%s" → did you mean "%s"?', async (factory, typo, nearest, make) => {
      const error = await asyncConfigErrorOf(make)
      expect(error.message).toContain(factory)
      expect(error.message).toContain(`"${typo}" (did you mean "${nearest}"?)`)
    })
    extra?.()
  })
}
