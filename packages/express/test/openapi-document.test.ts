import { Validator } from '@seriousme/openapi-schema-validator'
import { apiKey, createAuth, httpBasic, httpBearer } from '@authspec/core'
import express5 from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

type ExpressFactory = typeof express5

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'k' }, description: 'Demo key' }),
    BasicAuth: httpBasic({ users: { admin: 'secret' } }),
    Opaque: httpBearer({ verify: () => null, scopes: () => [] }),
  },
})

function build(express: ExpressFactory) {
  const app = express()
  const noop = (_req: unknown, res: { end(): void }) => res.end()
  app.get('/health', noop)
  app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }]), noop)
  app.post('/pets', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), noop)
  app.get('/pets/:petId/photos/:photoId', requireAuth(auth, [{ Opaque: ['pets:read'] }]), noop)
  app
    .route('/owners')
    .get(requireAuth(auth, [{ BasicAuth: [] }]), noop)
    .delete(requireAuth(auth, [{ Opaque: ['admin'] }]), noop)
  app.get(/^\/regex$/, requireAuth(auth, [{ BasicAuth: [] }]), noop)
  const router = express.Router()
  router.use(requireAuth(auth, [{ ApiKeyAuth: [] }]))
  router.get('/stores/:id', noop)
  router.get('/stores', requireAuth(auth, [{ Opaque: ['stores:read'] }, { BasicAuth: [] }]), noop)
  app.use('/api/v1', router)
  app.use('/admin', requireAuth(auth, [{ BasicAuth: [] }]))
  app.get('/admin/stats', noop)
  app.get('/administrator', noop)
  return app
}

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('openapiDocument on %s', (_name, express) => {
  const doc = openapiDocument(build(express), { info: { title: 'Pets', version: '2.0.0' } })

  it('emits every scheme in components.securitySchemes', () => {
    expect(doc.components.securitySchemes).toEqual({
      ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Demo key' },
      BasicAuth: { type: 'http', scheme: 'basic' },
      Opaque: { type: 'http', scheme: 'bearer' },
    })
    expect(doc.openapi).toBe('3.1.1')
    expect(doc.info).toEqual({ title: 'Pets', version: '2.0.0' })
  })

  it('gives each route its method, OpenAPI path template, security and failure responses', () => {
    expect(doc.paths['/pets']!.get!.security).toEqual([{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }])
    expect(Object.keys(doc.paths['/pets']!.get!.responses as object).sort()).toEqual(['200', '400', '401', '403'])
    expect(doc.paths['/pets']!.post!.security).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
    expect(Object.keys(doc.paths['/pets']!.post!.responses as object).sort()).toEqual(['200', '400', '401'])
    const photos = doc.paths['/pets/{petId}/photos/{photoId}']!.get!
    expect(photos.security).toEqual([{ Opaque: ['pets:read'] }])
    expect(photos.parameters).toEqual([
      { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
      { name: 'photoId', in: 'path', required: true, schema: { type: 'string' } },
    ])
  })

  it('documents per-method guards of app.route()', () => {
    expect(doc.paths['/owners']!.get!.security).toEqual([{ BasicAuth: [] }])
    expect(doc.paths['/owners']!.delete!.security).toEqual([{ Opaque: ['admin'] }])
  })

  it('unguarded routes have no security; regular-expression paths are left out', () => {
    expect(doc.paths['/health']!.get).toEqual({ responses: { '200': { description: 'Successful response' } } })
    expect(Object.keys(doc.paths).some((p) => p.includes('regex'))).toBe(false)
  })

  it('follows mounted routers and ANDs router-level guards with route guards', () => {
    expect(doc.paths['/api/v1/stores/{id}']!.get!.security).toEqual([{ ApiKeyAuth: [] }])
    expect(doc.paths['/api/v1/stores']!.get!.security).toEqual([
      { ApiKeyAuth: [], Opaque: ['stores:read'] },
      { ApiKeyAuth: [], BasicAuth: [] },
    ])
  })

  it('applies app.use(path, guard) to routes under that path only', () => {
    expect(doc.paths['/admin/stats']!.get!.security).toEqual([{ BasicAuth: [] }])
    expect(doc.paths['/administrator']!.get!.security).toBeUndefined()
  })

  it('is a valid OpenAPI 3.1 document, and 3.0 when asked', async () => {
    const v31 = await new Validator().validate(doc as never)
    expect(v31.errors).toBeUndefined()
    expect(v31.valid).toBe(true)
    const doc30 = openapiDocument(build(express), { version: '3.0' })
    expect(doc30.openapi).toBe('3.0.3')
    const v30 = await new Validator().validate(doc30 as never)
    expect(v30.valid).toBe(true)
  })

  it('every $ref of the failure responses resolves inside the document', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1]!)
    expect(refs.length).toBeGreaterThan(0)
    for (const ref of refs) {
      const target = ref.split('/').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)
      expect(target, ref).toBeTypeOf('object')
    }
  })

  it('a mounted Express app (whose routes cannot be listed) is a config error naming it, or left out with mountedApps: "omit"', () => {
    const sub = express()
    sub.get('/thing', requireAuth(auth, [{ ApiKeyAuth: [] }]), (_req, res) => res.end())
    const app = express()
    app.get('/pets', (_req, res) => res.end())
    app.use('/v1', sub)
    expect(() => openapiDocument(app)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('an Express app mounted at /v1') }))
    expect(Object.keys(openapiDocument(app, { mountedApps: 'omit' }).paths)).toEqual(['/pets'])
    expect(() => openapiDocument(app, { mountedApps: 'skip' as 'omit' })).toThrow(/mountedApps must be "error" or "omit"/)
    // The same routes on an express.Router() are listed.
    const router = express.Router()
    router.get('/thing', requireAuth(auth, [{ ApiKeyAuth: [] }]), (_req, res) => res.end())
    const routed = express()
    routed.use('/v1', router)
    expect(openapiDocument(routed).paths['/v1/thing']?.get?.security).toEqual([{ ApiKeyAuth: [] }])
  })

  it('refuses something that is not an app or router', () => {
    expect(() => openapiDocument({})).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})

it('an Express 4 app with no routes yet gives an empty document (its app.router getter throws)', () => {
  expect(openapiDocument(express4(), { auths: [auth] }).paths).toEqual({})
  expect(Object.keys(openapiDocument(express5(), { auths: [auth] }).components.securitySchemes)).toHaveLength(3)
})
