import { apiKey, createAuth } from '@authspec/core'
import express5 from 'express'
import type { ErrorRequestHandler } from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'
import { close, listen, raw } from './helpers.js'

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

describe.each([
  ['Express 5', express5],
  ['Express 4', express4 as unknown as typeof express5],
])('%s: a header apiKey named after an Object.prototype member', (_name, express) => {
  it('constructor / __proto__ / toString as the header name: 401 without it, 200 with it, never a 500', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name, keys: { a: 'secret-key-1' } }) } })
      const app = express()
      app.get('/k', requireAuth(auth, [{ Key: [] }]), (_req, res) => void res.send('ok'))
      app.use(((error, _req, res, _next) => void res.status(500).send(String(error))) as ErrorRequestHandler)
      const { url, server } = await listen(app)
      try {
        expect((await fetch(`${url}/k`)).status, name).toBe(401)
        if (name !== '__proto__') expect((await fetch(`${url}/k`, { headers: { [name]: 'secret-key-1' } })).status, name).toBe(200)
        else expect((await raw(url, ['GET /k HTTP/1.1', '__proto__: secret-key-1'])).status, name).toBe(200)
      } finally {
        await close(server)
      }
    }
  })
})
