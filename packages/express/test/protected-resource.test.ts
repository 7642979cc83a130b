import { createAuth, httpBearer } from '@authspec/core'
import express5 from 'express'
import express4 from 'express4'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { protectedResource, requireAuth } from '../src/index.js'
import { close, listen, raw } from './helpers.js'

type ExpressFactory = typeof express5
const RESOURCE = 'https://api.example.com/mcp'

describe.each([
  ['Express 4', express4 as unknown as ExpressFactory],
  ['Express 5', express5],
])('protectedResource on %s (RFC 9728 metadata)', (_name, express) => {
  let server: Server
  let url: string
  const auth = createAuth({
    resource: RESOURCE,
    protectedResource: { authorizationServers: ['https://as.example.com'] },
    schemes: { Bearer: httpBearer({ verify: () => null, scopes: () => [] }) },
  })

  beforeAll(async () => {
    const app = express()
    app.use(protectedResource(auth))
    app.post('/mcp', requireAuth(auth, [{ Bearer: ['mcp'] }]), (_req, res) => void res.json({}))
    ;({ server, url } = await listen(app))
  })
  afterAll(() => close(server))

  it('GET /.well-known/oauth-protected-resource and its path-inserted form answer the metadata', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await raw(url, [`GET ${path} HTTP/1.1`])
      expect(response.status, path).toBe(200)
      expect(response.head).toMatch(/content-type: application\/json/i)
      expect(response.head).toMatch(/access-control-allow-origin: \*/i)
      expect(JSON.parse(response.body)).toEqual({ resource: RESOURCE, authorization_servers: ['https://as.example.com'], bearer_methods_supported: ['header'] })
    }
  })

  it('other paths and methods go on (404 from Express); a preflight gets 204', async () => {
    expect((await raw(url, ['GET /.well-known/oauth-protected-resource/other HTTP/1.1'])).status).toBe(404)
    expect((await raw(url, ['POST /.well-known/oauth-protected-resource HTTP/1.1', 'Content-Length: 0'])).status).toBe(404)
    expect((await raw(url, ['OPTIONS /.well-known/oauth-protected-resource/mcp HTTP/1.1'])).status).toBe(204)
  })

  it('the guarded route challenges with resource_metadata and scope', async () => {
    const response = await raw(url, ['POST /mcp HTTP/1.1', 'Content-Length: 0'])
    expect(response.status).toBe(401)
    expect(response.head).toContain('WWW-Authenticate: Bearer realm="api", scope="mcp", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"')
  })

  it('an auth without resource is refused at start-up', () => {
    expect(() => protectedResource(createAuth({ schemes: { B: httpBearer({ verify: () => null }) } }))).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
