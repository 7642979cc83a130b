import { createAuth, fromOpenAPI, httpBasic, jwtBearer } from '@authspec/core'
import { type DpopOption } from '@authspec/core/resource-server'
import express from 'express'
import type { Server } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { enforceOpenAPI, requireAuth } from '../src/index.js'
import { configErrorOf } from '../../core/test/support/config-error.js'
import { dpopClient } from '../../core/test/support/dpop-client.js'
import { close, listen } from './helpers.js'

// Express hands the core the request path only (`originalUrl`), so a DPoP proof's `htu` can be
// checked only against a configured public origin: without one, the guard is refused when created.

const SECRET = 's'.repeat(32)
const ISSUER = 'https://as.test'
const jwt = (dpop: DpopOption) => jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: ISSUER, audience: 'api', dpop })
const basic = httpBasic({ verify: () => ({}) })

const document = (dpop: DpopOption) =>
  fromOpenAPI(
    {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      components: { securitySchemes: { Jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      paths: { '/items': { get: { security: [{ Jwt: [] }], responses: { 200: { description: 'ok' } } } } },
    },
    { verifiers: { Jwt: { algorithms: ['HS256'], secret: SECRET, issuer: ISSUER, audience: 'api', dpop } } },
  )

describe('Express: a DPoP scheme without a public origin is a config error when the middleware is created', () => {
  it('requireAuth refuses it, naming the scheme and the options that fix it', () => {
    const auth = createAuth({ schemes: { Jwt: jwt('allowed'), Basic: basic } })
    const error = configErrorOf(() => requireAuth(auth, [{ Jwt: [] }]))
    expect(error.message).toMatch(/^requireAuth: scheme "Jwt" checks DPoP proofs/)
    expect(error.message).toContain("dpop.origin ('https://api.example.com')")
    expect(error.message).toContain('createAuth({ resource:')
    expect(error.scheme).toBe('Jwt')
    // Also when the DPoP scheme is only one alternative, and with `required`.
    configErrorOf(() => requireAuth(auth, [{ Basic: [] }, { Jwt: [] }]))
    configErrorOf(() => requireAuth(createAuth({ schemes: { Jwt: jwt('required') }, security: [{ Jwt: [] }] })))
  })

  it('enforceOpenAPI refuses a document whose operations use such a scheme', () => {
    const error = configErrorOf(() => enforceOpenAPI(document('allowed')))
    expect(error.message).toMatch(/^enforceOpenAPI: scheme "Jwt" checks DPoP proofs/)
  })

  it('a guard whose requirement names no DPoP scheme, dpop.origin, or createAuth({ resource }) is accepted', () => {
    expect(() => requireAuth(createAuth({ schemes: { Jwt: jwt('allowed'), Basic: basic } }), [{ Basic: [] }])).not.toThrow()
    expect(() => requireAuth(createAuth({ schemes: { Jwt: jwt({ mode: 'allowed', origin: 'https://api.example.com' }) } }), [{ Jwt: [] }])).not.toThrow()
    expect(() => requireAuth(createAuth({ resource: 'https://api.example.com/mcp', schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: ISSUER, dpop: 'allowed' }) } }), [{ Jwt: [] }])).not.toThrow()
    expect(() => enforceOpenAPI(document({ mode: 'required', origin: 'https://api.example.com' }))).not.toThrow()
    // Without dpop the scheme has nothing to check against the URL.
    expect(() => requireAuth(createAuth({ schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: ISSUER, audience: 'api' }) } }), [{ Jwt: [] }])).not.toThrow()
  })
})

describe('Express: with dpop.origin a DPoP request over a real socket is checked against that origin', () => {
  let server: Server | undefined
  afterEach(() => close(server))

  it('a proof for the public URL passes; one for another origin is 401 invalid_dpop_proof', async () => {
    const client = await dpopClient()
    const token = await client.token({ iss: ISSUER, aud: 'api', secret: SECRET })
    const proof = (htu: string) => client.proof('GET', htu, token)

    const app = express()
    const auth = createAuth({ schemes: { Jwt: jwt({ mode: 'required', origin: 'https://api.example.com' }) } })
    app.get('/items', requireAuth(auth, [{ Jwt: [] }]), (req, res) => void res.json({ by: Object.keys(req.auth!.principals) }))
    let url: string
    ;({ url, server } = await listen(app))

    const ok = await fetch(`${url}/items?page=2`, { headers: { authorization: `DPoP ${token}`, dpop: await proof('https://api.example.com/items') } })
    expect([ok.status, await ok.json()]).toEqual([200, { by: ['Jwt'] }])
    const wrong = await fetch(`${url}/items`, { headers: { authorization: `DPoP ${token}`, dpop: await proof(`${url}/items`) } })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_dpop_proof"')
  })
})
