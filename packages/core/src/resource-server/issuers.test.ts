import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import { createTestKey, signTestToken, type TestKey } from '../testing/index.js'
import type { RequestLike } from '../types.js'

let server: Server
let origin = ''
const hits: string[] = []
let a: TestKey
let b: TestKey
let c: TestKey

beforeAll(async () => {
  a = await createTestKey('RS256', { kid: 'a' })
  b = await createTestKey('ES256', { kid: 'b' })
  c = await createTestKey('RS256', { kid: 'c' })
  server = createServer((req, res) => {
    hits.push(req.url ?? '')
    const json = (value: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value))
    if (req.url === '/a/jwks') return json({ keys: [a.publicJwk] })
    if (req.url === '/b/.well-known/openid-configuration') return json({ issuer: `${origin}/b`, jwks_uri: `${origin}/b/keys` })
    if (req.url === '/b/keys') return json({ keys: [b.publicJwk] })
    if (req.url?.startsWith('/c/')) return json({ issuer: `${origin}/c`, jwks_uri: `${origin}/c/jwks`, keys: [c.publicJwk] })
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

const request = (token: string): RequestLike => ({ method: 'GET', url: '/', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : null) } })
const future = () => Math.floor(Date.now() / 1000) + 300

function build() {
  return createAuth({
    schemes: {
      Jwt: jwtBearer({
        algorithms: ['RS256', 'ES256'],
        audience: 'api',
        issuers: { [`${origin}/a`]: { jwksUri: `${origin}/a/jwks` }, [`${origin}/b`]: { discovery: true, audience: 'b-api' } },
      }),
    },
    security: [{ Jwt: [] }],
  })
}

describe('several issuers: jwtBearer({ issuers }) trusts an allowlist', () => {
  it('each trusted issuer’s token verifies with its own keys and audience', async () => {
    const auth = build()
    expect((await auth.authenticate(request(await signTestToken(a, { iss: `${origin}/a`, aud: 'api', exp: future() })))).ok).toBe(true)
    expect((await auth.authenticate(request(await signTestToken(b, { iss: `${origin}/b`, aud: 'b-api', exp: future() })))).ok).toBe(true)
    expect((await auth.authenticate(request(await signTestToken(b, { iss: `${origin}/b`, aud: 'api', exp: future() })))).ok).toBe(false)
  })

  it('a token from an issuer outside the allowlist → 401 and nothing is fetched for it', async () => {
    const auth = build()
    hits.length = 0
    for (const iss of [`${origin}/c`, 'constructor', '__proto__', undefined]) {
      const result = await auth.authenticate(request(await signTestToken(c, { ...(iss === undefined ? {} : { iss }), aud: 'api', exp: future() })))
      expect(result.ok || [result.status, result.problem.detail], String(iss)).toEqual([401, expect.stringContaining('issuer not trusted')])
    }
    expect(hits).toEqual([])
  })

  it('a token naming issuer A but signed by B’s key → 401 (the iss picks the keys, it is not trusted by itself)', async () => {
    const forged = await signTestToken(b, { iss: `${origin}/a`, aud: 'api', exp: future() })
    expect((await build().authenticate(request(forged))).ok).toBe(false)
  })

  it('issuers with issuer or keys, or a bad entry → config error', () => {
    const base = { algorithms: ['RS256'] as const, audience: 'api' }
    for (const options of [
      { ...base, issuer: 'x', issuers: { x: { jwksUri: 'https://x/jwks' } } },
      { ...base, jwksUri: 'https://x/jwks', issuers: { x: { jwksUri: 'https://x/jwks' } } },
      { ...base, issuers: {} },
      { ...base, issuers: { x: {} } },
      { ...base, issuers: { x: { jwksUri: 'https://x/jwks', discovery: true } } },
      { ...base, issuers: { x: { jwksUri: 'ftp://x' } } },
      { ...base, issuers: { x: { jwks: 'https://x' } } },
    ]) {
      expect(() => jwtBearer(options as never), JSON.stringify(options)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    }
  })
})
