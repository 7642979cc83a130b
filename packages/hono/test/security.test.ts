import { apiKey, createAuth } from '@authspec/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

describe('openapiDocument with scheme names that are Object.prototype keys', () => {
  it('a scheme named "constructor" or "__proto__" is emitted as its own entry, not refused as a clash', () => {
    const schemes = Object.fromEntries([
      ['constructor', apiKey({ in: 'header', name: 'X-C', keys: { a: 'secret-key-1' } })],
      ['__proto__', apiKey({ in: 'header', name: 'X-P', keys: { a: 'secret-key-1' } })],
    ])
    const auth = createAuth({ schemes })
    const app = new Hono()
    app.get('/c', requireAuth(auth, [{ constructor: [] }]), (c) => c.text('ok'))
    app.get('/p', requireAuth(auth, JSON.parse('[{"__proto__": []}]') as never), (c) => c.text('ok'))
    const document = openapiDocument(app, { info: { title: 't', version: '1' } })
    const securitySchemes = document.components?.securitySchemes as Record<string, unknown>
    expect(Object.keys(securitySchemes)).toEqual(['constructor', '__proto__'])
    expect(Object.getOwnPropertyDescriptor(securitySchemes, '__proto__')?.value).toEqual({ type: 'apiKey', in: 'header', name: 'X-P' })
    expect(securitySchemes.constructor).toEqual({ type: 'apiKey', in: 'header', name: 'X-C' })
  })
})

describe('demo /docs/:file', () => {
  it('names of Object.prototype members (__proto__, constructor, toString) are 404, not 500', async () => {
    const { createDemoApp } = await import('../demo/app.js')
    const { swaggerDocs } = await import('../demo/docs-page.js')
    const { app } = createDemoApp({
      jwt: { algorithms: ['HS256'], secret: 'a-test-secret-of-at-least-32-bytes!!' },
      issuer: 'urn:test',
      audience: 'api',
      docs: swaggerDocs({ css: 'body{}', bundle: '/* bundle */' }),
    })
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect((await app.request(`/docs/${name}`)).status, name).toBe(404)
    }
    expect((await app.request('/docs/swagger-ui.css')).status).toBe(200)
  })
})
