import { createAuth, httpBearer } from '@authspec/core'
import express from 'express'
import { expect, it } from 'vitest'
import { describeTypos, type TypoCase } from '../../core/test/support/config-error.js'
import { checkCoverage, enforceOpenAPI, openapiDocument, protectedResource } from '../src/index.js'

// The adapter factories refuse option names they do not know, naming the nearest known one.

const auth = createAuth({ resource: 'https://api.example.com/mcp', schemes: { Bearer: httpBearer({ verify: () => ({}) }) } })

const cases: TypoCase[] = [
  ['protectedResource', 'maxage', 'maxAge', () => protectedResource(auth, { maxage: 60 } as never)],
  ['enforceOpenAPI', 'unboundRoute', 'unboundRoutes', () => enforceOpenAPI(auth, { unboundRoute: 'deny' } as never)],
  ['checkCoverage', 'exlude', 'exclude', () => checkCoverage(express(), auth, { exlude: () => true } as never)],
  ['openapiDocument', 'server', 'servers', () => openapiDocument(express(), { info: { title: 't', version: '1' }, server: [{ url: '/' }] } as never)],
]

describeTypos('unknown adapter options are a config error naming the nearest known option', cases, () => {
  it('known options are accepted', () => {
    expect(() => protectedResource(auth, { maxAge: 60 })).not.toThrow()
    expect(() => openapiDocument(express(), { info: { title: 't', version: '1' }, servers: [{ url: '/' }] })).not.toThrow()
  })
})
