import { createAuth, httpBearer } from '@authspec/core'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { checkCoverage, enforceOpenAPI, openapiDocument, protectedResource } from '../src/index.js'

// The adapter factories refuse option names they do not know, naming the nearest known one.

const auth = createAuth({ resource: 'https://api.example.com/mcp', schemes: { Bearer: httpBearer({ verify: () => ({}) }) } })

/** Run `make` and return the config error it throws (the test fails when it does not throw one). */
function configErrorOf(make: () => unknown): { code: string; message: string } {
  try {
    make()
  } catch (error) {
    expect(error).toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_CONFIG' })
    return error as { code: string; message: string }
  }
  throw new Error('expected ERR_AUTHSPEC_CONFIG, nothing was thrown')
}

const cases: [factory: string, typo: string, nearest: string, make: () => unknown][] = [
  ['protectedResource', 'maxage', 'maxAge', () => protectedResource(auth, { maxage: 60 } as never)],
  ['enforceOpenAPI', 'unboundRoute', 'unboundRoutes', () => enforceOpenAPI(auth, { unboundRoute: 'deny' } as never)],
  ['checkCoverage', 'exlude', 'exclude', () => checkCoverage(express(), auth, { exlude: () => true } as never)],
  ['openapiDocument', 'server', 'servers', () => openapiDocument(express(), { info: { title: 't', version: '1' }, server: [{ url: '/' }] } as never)],
]

describe('unknown adapter options are a config error naming the nearest known option', () => {
  it.each(cases)('%s: "%s" → did you mean "%s"?', (factory, typo, nearest, make) => {
    const error = configErrorOf(make)
    expect(error.message).toContain(factory)
    expect(error.message).toContain(`"${typo}" (did you mean "${nearest}"?)`)
  })

  it('known options are accepted', () => {
    expect(() => protectedResource(auth, { maxAge: 60 })).not.toThrow()
    expect(() => openapiDocument(express(), { info: { title: 't', version: '1' }, servers: [{ url: '/' }] })).not.toThrow()
  })
})
