import { expect } from 'vitest'
import { isAuthspecError } from '../../src/index.js'

// OpenAPI documents and verifiers shared by the fromOpenAPI tests.

export const keyVerifier = { verify: (key: string) => (key === 'good-key' ? { id: 'k' } : null) }
export const basicVerifier = { verify: ({ username, password }: { username: string; password: string }) => (username === 'u' && password === 'p' ? { username } : null) }

export interface Doc extends Record<string, unknown> {
  components: { securitySchemes: Record<string, unknown>; pathItems?: unknown }
}

/** An OpenAPI 3.0.3 document with these security schemes and paths. */
export function docWith(schemes: Record<string, unknown>, paths: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Doc {
  return { openapi: '3.0.3', info: { title: 't', version: '1' }, paths, components: { securitySchemes: schemes }, ...extra }
}

/** The message of the config error `run` throws (the test fails when it throws none). */
export function configMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(isAuthspecError(error) && error.code).toBe('ERR_AUTHSPEC_CONFIG')
    return (error as Error).message
  }
  throw new Error('expected a config error')
}
