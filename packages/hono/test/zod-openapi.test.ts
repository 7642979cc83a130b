import { apiKey, createAuth, httpBearer } from '@authspec/core'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { describe, expect, it } from 'vitest'
import { openapiDocument, requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: (key) => (key === 'k-1' ? { owner: 'ada' } : null) }),
    Opaque: httpBearer({ verify: (token) => (token === 't' ? { scopes: ['pets:read'] } : null), scopes: (p) => p.scopes }),
  },
})

function buildApp() {
  const app = new OpenAPIHono()
  // The registry gets the same securitySchemes the auth enforces.
  for (const [name, scheme] of Object.entries(auth.openapi().components.securitySchemes)) {
    app.openAPIRegistry.registerComponent('securitySchemes', name, scheme)
  }
  const requirement = [{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }] as const
  const { security, responses } = auth.operation(requirement)
  const route = createRoute({
    method: 'get',
    path: '/pets/{id}',
    request: { params: z.object({ id: z.string() }) },
    security,
    middleware: [requireAuth(auth, requirement)] as const,
    responses: {
      200: { description: 'A pet', content: { 'application/json': { schema: z.object({ id: z.string(), owner: z.string() }) } } },
      ...responses,
    },
  })
  app.openapi(route, (c) => c.json({ id: c.req.valid('param').id, owner: c.var.auth.principals.ApiKeyAuth?.owner ?? 'token' }, 200))
  return app
}

describe('@hono/zod-openapi interop', () => {
  it('its route gets security and its registry securitySchemes from the same auth', () => {
    const doc = buildApp().getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Pets', version: '1' } })
    const operation = doc.paths!['/pets/{id}']!.get!
    expect(operation.security).toEqual([{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }])
    expect(Object.keys(operation.responses!)).toEqual(expect.arrayContaining(['200', '401', '403']))
    expect(doc.components!.securitySchemes).toEqual(auth.openapi().components.securitySchemes)
  })

  it('the route middleware enforces what the document says', async () => {
    const app = buildApp()
    const missing = await app.request('/pets/7')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", Bearer realm="api"')
    const ok = await app.request('/pets/7', { headers: { 'X-API-Key': 'k-1' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ id: '7', owner: 'ada' })
    expect(ok.headers.get('vary')).toBe('X-API-Key, Authorization')
  })

  it('openapiDocument reads the same guard from the OpenAPIHono app', () => {
    const doc = openapiDocument(buildApp(), { info: { title: 'Pets', version: '1' } })
    expect(doc.paths['/pets/{id}']!.get!.security).toEqual([{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }])
  })
})
