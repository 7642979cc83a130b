import { createAuth, jwtBearer, type AuthResult, type RequestLike } from '@authspec/core'
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisReplayStore } from '../src/index.js'
import { startRedis, type RedisServer } from './support/redis-server.mjs'

const SECRET = 's'.repeat(32)
const RESOURCE = 'https://api.example.com/mcp'
let server: RedisServer
let key: { privateKey: CryptoKey; jwk: JWK; jkt: string }
const clients: Redis[] = []

beforeAll(async () => {
  server = await startRedis()
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = await exportJWK(publicKey)
  key = { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) }
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.disconnect()
  await server?.close()
})

function connect(port = server.port): Redis {
  const client = new Redis(port, '127.0.0.1', { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 500, retryStrategy: () => 50 })
  client.on('error', () => {})
  clients.push(client)
  return client
}

async function ready(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && client.status !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  expect(client.status).toBe('ready')
}

/** One "instance": its own connection and auth, DPoP required, proof ids on Redis. */
function instance(client: Redis, keyPrefix?: string) {
  const replayStore = redisReplayStore({ client, ...(keyPrefix === undefined ? {} : { keyPrefix }) })
  return createAuth({
    resource: RESOURCE,
    schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', dpop: { mode: 'required', replayStore, replayTimeout: 300 } }) },
    security: [{ Jwt: [] }],
  })
}

const accessToken = () =>
  new SignJWT({ aud: RESOURCE, cnf: { jkt: key.jkt } }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('https://as.test').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET))

async function proof(token: string, jti: string = crypto.randomUUID()) {
  const ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))
  return new SignJWT({ htm: 'POST', htu: RESOURCE, iat: Math.floor(Date.now() / 1000), jti, ath }).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk } as never).sign(key.privateKey)
}

const request = (token: string, dpop: string): RequestLike => {
  const headers: Record<string, string> = { authorization: `DPoP ${token}`, dpop }
  return { method: 'POST', url: RESOURCE, headers: { get: (name) => headers[name.toLowerCase()] ?? null } }
}
const status = (result: AuthResult) => (result.ok ? 200 : result.status)

describe('redisReplayStore against a real redis-server', () => {
  it('one proof sent 200 times in parallel through two instances is accepted exactly once; the rest are 401 invalid_dpop_proof', async () => {
    const [a, b] = [connect(), connect()]
    await Promise.all([ready(a), ready(b)])
    const [one, two] = [instance(a), instance(b)]
    const token = await accessToken()
    const dpop = await proof(token)
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? one : two).authenticate(request(token, dpop))))
    expect(results.filter((r) => r.ok)).toHaveLength(1)
    const refused = results.filter((r) => !r.ok)
    expect(refused.every((r) => !r.ok && r.status === 401 && String(r.headers['WWW-Authenticate']).includes('error="invalid_dpop_proof"'))).toBe(true)
    // A fresh proof of the same key and token is fine on either instance.
    expect(status(await two.authenticate(request(token, await proof(token))))).toBe(200)
  })

  it('an id another program already wrote is a replay; ids expire with their proof window (TTL ≤ maxAge + clockTolerance)', async () => {
    const client = connect()
    await ready(client)
    const auth = instance(client, 'other:')
    const token = await accessToken()
    const jti = crypto.randomUUID()
    await client.set(`other:${key.jkt}.${jti}`, 'written elsewhere')
    expect(status(await auth.authenticate(request(token, await proof(token, jti))))).toBe(401)
    const fresh = crypto.randomUUID()
    expect(status(await auth.authenticate(request(token, await proof(token, fresh))))).toBe(200)
    const ttl = await client.pttl(`other:${key.jkt}.${fresh}`)
    expect(ttl).toBeGreaterThan(55_000)
    expect(ttl).toBeLessThanOrEqual(65_000)
  })

  it('Redis unreachable → 503 with Retry-After, never a grant', async () => {
    const dead = connect(1) // nothing listens on port 1
    const auth = instance(dead)
    const token = await accessToken()
    const result = await auth.authenticate(request(token, await proof(token)))
    expect(status(result)).toBe(503)
    expect(result.ok || result.headers['Retry-After']).toMatch(/^\d+$/)
  })

  it('bad options are config errors at creation', () => {
    const client = connect()
    expect(() => redisReplayStore({ client, prefix: 'x' } as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('did you mean "keyPrefix"') }))
    expect(() => redisReplayStore({ client: {} as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => redisReplayStore({ client, keyPrefix: 5 as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
