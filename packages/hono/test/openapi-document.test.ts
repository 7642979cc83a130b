import { apiKey, createAuth, httpBasic, httpBearer } from '@authspec/core'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: 'k' }, description: 'Demo key' }),
    BasicAuth: httpBasic({ users: { alice: 'wonderland' } }),
    Opaque: httpBearer({ verify: () => ({ scopes: ['pets:read'] }), scopes: (p) => p.scopes }),
  },
})

function buildApp() {
  const app = new Hono()
  app.get('/health', (c) => c.text('ok'))
  app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }, { BasicAuth: [] }]), (c) => c.json([]))
  app.post('/pets', requireAuth(auth, [{ Opaque: ['pets:write'] }]), (c) => c.json({}, 201))
  app.get('/pets/:id{[0-9]+}', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), (c) => c.json({ id: c.req.param('id') }))
  app.use('/admin/*', requireAuth(auth, [{ BasicAuth: [] }]))
  app.get('/admin/stats', (c) => c.json({}))
  app.delete('/admin/pets/:petId', requireAuth(auth, [{ Opaque: ['pets:admin'] }]), (c) => c.body(null, 204))
  const v1 = new Hono()
  v1.get('/things/:thingId', requireAuth(auth, [{ Opaque: [] }]), (c) => c.json({}))
  app.route('/v1', v1)
  app.get('/docs', (c) => c.html('<html></html>'))
  return app
}

describe('openapiDocument', () => {
  const doc = openapiDocument(buildApp(), {
    info: { title: 'Pets', version: '1.0.0' },
    exclude: (path) => path === '/docs',
    operations: { 'POST /pets': { summary: 'Add a pet', responses: { '201': { description: 'Created' } } } },
  })

  it('lists every route with OpenAPI paths ({id}) and lower-case methods, minus excluded ones', () => {
    expect(doc.openapi).toBe('3.1.1')
    expect(Object.keys(doc.paths)).toEqual(['/health', '/pets', '/pets/{id}', '/admin/stats', '/admin/pets/{petId}', '/v1/things/{thingId}'])
    expect(Object.keys(doc.paths['/pets']!)).toEqual(['get', 'post'])
    expect(doc.paths['/pets/{id}']!.get!.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }])
  })

  it('a guarded route gets its requirement as security and 400/401 responses; scoped routes 403', () => {
    const list = doc.paths['/pets']!.get!
    expect(list.security).toEqual([{ ApiKeyAuth: [] }, { BasicAuth: [] }])
    expect(Object.keys(list.responses)).toEqual(['200', '400', '401'])
    const add = doc.paths['/pets']!.post!
    expect(add.security).toEqual([{ Opaque: ['pets:write'] }])
    expect(add.summary).toBe('Add a pet')
    expect(Object.keys(add.responses)).toEqual(['201', '400', '401', '403'])
    expect(doc.paths['/pets/{id}']!.get!.security).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
  })

  it('an unguarded route has no security (public)', () => {
    expect(doc.paths['/health']!.get!.security).toBeUndefined()
    expect(doc.paths['/health']!.get!.responses).toEqual({ '200': { description: 'Successful response' } })
  })

  it('app.use guards apply to the routes under them, ANDed with route guards; sub-app routes keep their guards', () => {
    expect(doc.paths['/admin/stats']!.get!.security).toEqual([{ BasicAuth: [] }])
    expect(doc.paths['/admin/pets/{petId}']!.delete!.security).toEqual([{ BasicAuth: [], Opaque: ['pets:admin'] }])
    expect(doc.paths['/v1/things/{thingId}']!.get!.security).toEqual([{ Opaque: [] }])
  })

  it('components.securitySchemes come from auth.openapi()', () => {
    expect(doc.components.securitySchemes).toEqual(auth.openapi().components.securitySchemes)
    expect(doc.components.securitySchemes!.ApiKeyAuth).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Demo key' })
  })

  it('the document is valid OpenAPI 3.1 and 3.0', async () => {
    const v31 = await new Validator().validate(structuredClone(doc) as never)
    expect(v31.errors ?? []).toEqual([])
    expect(v31.valid).toBe(true)
    const doc30 = openapiDocument(buildApp(), { info: { title: 'Pets', version: '1' }, version: '3.0' })
    expect(doc30.openapi).toBe('3.0.3')
    const v30 = await new Validator().validate(structuredClone(doc30) as never)
    expect(v30.errors ?? []).toEqual([])
    expect(v30.valid).toBe(true)
  })

  it('auths given in options have their schemes emitted even when no route uses them', () => {
    const other = createAuth({ schemes: { Partner: apiKey({ in: 'query', name: 'partner_key', keys: { p: 'x' } }) } })
    const withOther = openapiDocument(buildApp(), { info: { title: 't', version: '1' }, auths: [other] })
    expect(Object.keys(withOther.components.securitySchemes!)).toEqual(['Partner', 'ApiKeyAuth', 'BasicAuth', 'Opaque'])
    expect(Object.keys(doc.components.securitySchemes!)).not.toContain('Partner')
  })

  it('two auths with the same scheme name defined differently are refused', () => {
    const other = createAuth({ schemes: { ApiKeyAuth: apiKey({ in: 'query', name: 'key', keys: { a: 'b' } }) } })
    const app = buildApp()
    app.get('/other', requireAuth(other, [{ ApiKeyAuth: [] }]), (c) => c.text('x'))
    expect(() => openapiDocument(app, { info: { title: 't', version: '1' } })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringMatching(/ApiKeyAuth differently/) }))
  })
})
