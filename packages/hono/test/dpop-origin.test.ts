import { serve } from '@hono/node-server'
import { createAuth, jwtBearer } from '@authspec/core'
import { Hono } from 'hono'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dpopClient, type DpopClient } from '../../core/test/support/dpop-client.js'
import { requireAuth } from '../src/index.js'

// Hono hands the core the fetch `Request`, whose URL is absolute: without `dpop.origin` or a
// `resource`, a DPoP proof's `htu` is checked against the request URL (unlike Express, where the
// same configuration is refused when the guard is created).

const SECRET = 's'.repeat(32)
const ISSUER = 'https://as.test'
const auth = createAuth({ schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: ISSUER, audience: 'api', dpop: 'required' }) } })
const app = new Hono()
app.get('/items', requireAuth(auth, [{ Jwt: [] }]), (c) => c.json({ by: Object.keys(c.var.auth.principals) }))
let server: ReturnType<typeof serve>
let url: string
let client: DpopClient

beforeAll(async () => {
  client = await dpopClient()
  server = await new Promise((resolve) => {
    const created = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(created))
  })
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('Hono: DPoP without a configured origin checks htu against the request URL', () => {
  it('requireAuth accepts the scheme; a proof for the request URL passes, one for another origin is 401', async () => {
    const token = await client.token({ iss: ISSUER, aud: 'api', secret: SECRET })
    const ok = await fetch(`${url}/items?page=2`, { headers: { authorization: `DPoP ${token}`, dpop: await client.proof('GET', `${url}/items`, token) } })
    expect([ok.status, await ok.json()]).toEqual([200, { by: ['Jwt'] }])
    const other = await fetch(`${url}/items`, { headers: { authorization: `DPoP ${token}`, dpop: await client.proof('GET', 'https://api.example.com/items', token) } })
    expect(other.status).toBe(401)
    expect(other.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"')
  })
})
