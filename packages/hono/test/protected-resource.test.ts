import { serve } from '@hono/node-server'
import { createAuth, httpBearer } from '@authspec/core'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { protectedResource, requireAuth } from '../src/index.js'

const RESOURCE = 'https://api.example.com/mcp'
const auth = createAuth({
  resource: RESOURCE,
  protectedResource: { authorizationServers: ['https://as.example.com'] },
  schemes: { Bearer: httpBearer({ verify: () => null, scopes: () => [] }) },
})
const app = new Hono()
app.use(protectedResource(auth))
app.post('/mcp', requireAuth(auth, [{ Bearer: ['mcp'] }]), (c) => c.json({}))
let server: ReturnType<typeof serve>
let url: string

beforeAll(async () => {
  server = await new Promise((resolve) => {
    const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(created))
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('protectedResource on Hono (RFC 9728 metadata), over HTTP', () => {
  it('GET /.well-known/oauth-protected-resource and its path-inserted form answer the metadata', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await fetch(url + path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(response.headers.get('access-control-allow-origin')).toBe('*')
      expect(await response.json()).toEqual({ resource: RESOURCE, authorization_servers: ['https://as.example.com'], bearer_methods_supported: ['header'] })
    }
  })

  it('other paths and methods go on (404); a preflight gets 204', async () => {
    expect((await fetch(`${url}/.well-known/oauth-protected-resource/other`)).status).toBe(404)
    expect((await fetch(`${url}/.well-known/oauth-protected-resource`, { method: 'POST' })).status).toBe(404)
    expect((await fetch(`${url}/.well-known/oauth-protected-resource/mcp`, { method: 'OPTIONS' })).status).toBe(204)
  })

  it('the guarded route challenges with resource_metadata and scope', async () => {
    const response = await fetch(`${url}/mcp`, { method: 'POST' })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", scope="mcp", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"')
  })

  it('an auth without resource is refused at start-up', () => {
    expect(() => protectedResource(createAuth({ schemes: { B: httpBearer({ verify: () => null }) } }))).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
