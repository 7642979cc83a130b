import { apiKey, createAuth } from '@authspec/core'
import express5 from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s: openapiDocument with scheme names that are Object.prototype keys', (_name, express) => {
  it('a scheme named "constructor" or "__proto__" is emitted as its own entry, not refused as a clash', () => {
    const schemes = Object.fromEntries([
      ['constructor', apiKey({ in: 'header', name: 'X-C', keys: { a: 'secret-key-1' } })],
      ['__proto__', apiKey({ in: 'header', name: 'X-P', keys: { a: 'secret-key-1' } })],
    ])
    const auth = createAuth({ schemes })
    const app = express()
    app.get('/c', requireAuth(auth, [{ constructor: [] }]), (_req, res) => void res.end())
    app.get('/p', requireAuth(auth, JSON.parse('[{"__proto__": []}]') as never), (_req, res) => void res.end())
    const document = openapiDocument(app, { info: { title: 't', version: '1' } })
    const securitySchemes = document.components?.securitySchemes as Record<string, unknown>
    expect(Object.keys(securitySchemes)).toEqual(['constructor', '__proto__'])
    expect(Object.getOwnPropertyDescriptor(securitySchemes, '__proto__')?.value).toEqual({ type: 'apiKey', in: 'header', name: 'X-P' })
    expect(securitySchemes.constructor).toEqual({ type: 'apiKey', in: 'header', name: 'X-C' })
  })
})
