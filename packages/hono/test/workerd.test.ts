import { serve } from '@hono/node-server'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoBindings } from '../demo/credentials.js'
import { worker, type WorkerEnv } from '../demo/worker.js'
import { startWorkerd, type RunningWorkerd } from './support/workerd.js'

const ISSUER = 'https://issuer.test'
const AUDIENCE = 'pets-api'
const HERE = dirname(fileURLToPath(import.meta.url))
let jwks: Server
let jwksHits = 0
let workerd: RunningWorkerd | undefined
let workerdUrl: string
let node: ReturnType<typeof serve>
let nodeUrl: string
let key: CryptoKey
let otherKey: CryptoKey

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey
  otherKey = (await generateKeyPair('RS256')).privateKey
  jwks = createServer((req, res) => {
    jwksHits++
    if (req.url !== '/jwks.json') return void res.writeHead(404).end()
    void exportJWK(pair.publicKey).then((jwk) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [{ ...jwk, kid: 'k1', alg: 'RS256', use: 'sig' }] })))
  })
  const jwksPort = await listen(jwks)
  const env: WorkerEnv = { ...demoBindings(), JWKS_URL: `http://127.0.0.1:${jwksPort}/jwks.json`, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE }

  // The same worker entry, bundled for workerd…
  const bindings = Object.fromEntries(Object.entries(env).map(([name, value]) => [name, String(value)]))
  workerd = await startWorkerd({ entry: join(HERE, '..', 'demo', 'worker.ts'), entrypoint: 'worker', bindings })
  workerdUrl = workerd.url

  // …and served on Node, with the same env.
  node = await new Promise((resolve) => {
    const server = serve({ fetch: (request) => worker.fetch(request, env, {}), port: 0, hostname: '127.0.0.1' }, () => resolve(server))
  })
  nodeUrl = `http://127.0.0.1:${(node.address() as AddressInfo).port}`
}, 60_000)

afterAll(async () => {
  await workerd?.close()
  await new Promise<void>((resolve) => (node ? node.close(() => resolve()) : resolve()))
  await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()))
})

const token = (claims: Record<string, unknown>, options: { signer?: CryptoKey; audience?: string } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('client-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(options.signer ?? key)

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`

interface Case {
  name: string
  method?: string
  path: string
  headers?: () => Promise<Record<string, string>> | Record<string, string>
  body?: string
  status: number
}

const { apiKey, basicUser, basicPassword, opaqueToken } = {
  apiKey: demoBindings().DEMO_API_KEY,
  basicUser: demoBindings().DEMO_BASIC_USER,
  basicPassword: demoBindings().DEMO_BASIC_PASSWORD,
  opaqueToken: demoBindings().DEMO_OPAQUE_TOKEN,
}

const CASES: Case[] = [
  { name: 'public route', path: '/health', status: 200 },
  { name: 'no credentials (OR route)', path: '/pets', status: 401 },
  { name: 'API key from the env binding', path: '/pets', headers: () => ({ 'X-API-Key': apiKey }), status: 200 },
  { name: 'wrong API key', path: '/pets/1', headers: () => ({ 'X-API-Key': 'nope' }), status: 401 },
  { name: 'Basic', path: '/me', headers: () => ({ Authorization: basic(basicUser, basicPassword) }), status: 200 },
  { name: 'Basic with a wrong password', path: '/me', headers: () => ({ Authorization: basic(basicUser, 'x') }), status: 401 },
  { name: 'AND route with the key only', method: 'DELETE', path: '/pets/2', headers: () => ({ 'X-API-Key': apiKey }), status: 401 },
  { name: 'AND route with key and Basic', method: 'DELETE', path: '/pets/2', headers: () => ({ 'X-API-Key': apiKey, Authorization: basic(basicUser, basicPassword) }), status: 204 },
  { name: 'opaque token', path: '/session', headers: () => ({ Authorization: `Bearer ${opaqueToken}` }), status: 200 },
  { name: 'opaque token without pets:write', method: 'POST', path: '/pets', headers: () => ({ Authorization: `Bearer ${opaqueToken}` }), body: '{"name":"x"}', status: 403 },
  { name: 'malformed Authorization', path: '/session', headers: () => ({ Authorization: 'Bearer a b' }), status: 400 },
  { name: 'JWT verified with the JWKS', path: '/token', headers: async () => ({ Authorization: `Bearer ${await token({ scope: 'pets:read' })}` }), status: 200 },
  { name: 'JWT for another audience', path: '/token', headers: async () => ({ Authorization: `Bearer ${await token({}, { audience: 'other' })}` }), status: 401 },
  { name: 'JWT signed by another key', path: '/token', headers: async () => ({ Authorization: `Bearer ${await token({}, { signer: otherKey })}` }), status: 401 },
  { name: 'JWT without pets:write', method: 'POST', path: '/pets', headers: async () => ({ Authorization: `Bearer ${await token({ scope: 'pets:read' })}` }), body: '{"name":"x"}', status: 403 },
  { name: 'JWT with pets:write', method: 'POST', path: '/pets', headers: async () => ({ Authorization: `Bearer ${await token({ scope: 'pets:write' })}`, 'Content-Type': 'application/json' }), body: '{"name":"Nemo"}', status: 201 },
  { name: 'OAuth2 scopes from the same JWKS', path: '/stats', headers: async () => ({ Authorization: `Bearer ${await token({ scope: 'pets:read pets:write' })}` }), status: 200 },
]

async function run(base: string, c: Case) {
  const res = await fetch(base + c.path, { method: c.method ?? 'GET', headers: c.headers ? await c.headers() : {}, body: c.body })
  const text = await res.text()
  const code = res.headers.get('content-type') === 'application/problem+json' ? (JSON.parse(text) as { code: string }).code : undefined
  return { status: res.status, challenge: res.headers.get('www-authenticate'), vary: res.headers.get('vary'), cacheControl: res.headers.get('cache-control'), code }
}

describe('the demo worker on workerd and on Node', () => {
  const onWorkerd = new Map<string, Awaited<ReturnType<typeof run>>>()

  it('workerd: every case answers the expected status; the JWKS came from the local server', async () => {
    for (const c of CASES) onWorkerd.set(c.name, await run(workerdUrl, c))
    expect(CASES.map((c) => [c.name, onWorkerd.get(c.name)?.status])).toEqual(CASES.map((c) => [c.name, c.status]))
    // Only workerd has verified JWTs so far: these fetches are its.
    expect(jwksHits).toBeGreaterThan(0)
  }, 60_000)

  it('Node serves the same entry with the same statuses, challenges, Vary, Cache-Control and problem codes', async () => {
    expect(onWorkerd.size).toBe(CASES.length)
    for (const c of CASES) expect({ case: c.name, ...(await run(nodeUrl, c)) }).toEqual({ case: c.name, ...onWorkerd.get(c.name) })
  }, 60_000)
})
