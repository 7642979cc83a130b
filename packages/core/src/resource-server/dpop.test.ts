import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { beforeAll, describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import type { RequestLike } from '../types.js'
import { MemoryReplayStore } from './dpop-replay.js'

const SECRET = 's'.repeat(32)
const secret = new TextEncoder().encode(SECRET)
const RESOURCE = 'https://api.example.com/mcp'
let client: { privateKey: CryptoKey; jwk: JWK; jkt: string }
let other: { privateKey: CryptoKey; jwk: JWK; jkt: string }

async function clientKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwk = await exportJWK(publicKey)
  return { privateKey, jwk, jkt: await calculateJwkThumbprint(jwk) }
}
beforeAll(async () => {
  client = await clientKey()
  other = await clientKey()
})

const accessToken = (claims: Record<string, unknown> = {}) =>
  new SignJWT({ aud: RESOURCE, scope: 'mcp', ...claims }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer('https://as.test').setExpirationTime('5m').sign(secret)
const ath = async (token: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))

async function proof(token: string, overrides: Record<string, unknown> = {}, key = client, header: Record<string, unknown> = {}) {
  const payload = { htm: 'POST', htu: RESOURCE, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath: await ath(token), ...overrides }
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.jwk, ...header } as never).sign(key.privateKey)
}

const request = (headers: Record<string, string>, method = 'POST', url = 'https://api.example.com/mcp?x=1'): RequestLike => ({
  method,
  url,
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
})

function build(dpop: 'allowed' | 'required' | Record<string, unknown> = 'allowed') {
  return createAuth({
    resource: RESOURCE,
    schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', dpop: dpop as never }) },
    security: [{ Jwt: ['mcp'] }],
  })
}

describe('RFC 9449 DPoP on jwtBearer', () => {
  it('a DPoP-bound token with a fresh proof for this request passes', async () => {
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const result = await build().authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
    expect(result.ok).toBe(true)
  })

  it('a replayed proof, a wrong htu/htm/ath, an old or future iat, another key, a missing proof, a bad typ or alg → 401 invalid_dpop_proof', async () => {
    const auth = build()
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const replayed = await proof(token)
    expect((await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: replayed }))).ok).toBe(true)
    const now = Math.floor(Date.now() / 1000)
    const cases: Record<string, string | undefined> = {
      replayed,
      htu: await proof(token, { htu: 'https://api.example.com/other' }),
      htuOrigin: await proof(token, { htu: 'https://evil.example.com/mcp' }),
      htm: await proof(token, { htm: 'GET' }),
      ath: await proof(token, { ath: await ath('another token') }),
      noAth: await proof(token, { ath: undefined }),
      old: await proof(token, { iat: now - 120 }),
      future: await proof(token, { iat: now + 60 }),
      otherKey: await proof(token, {}, other),
      typ: await proof(token, {}, client, { typ: 'JWT' }),
      missing: undefined,
      two: `${await proof(token)}, ${await proof(token)}`,
    }
    for (const [name, dpop] of Object.entries(cases)) {
      const result = await auth.authenticate(request(dpop === undefined ? { authorization: `DPoP ${token}` } : { authorization: `DPoP ${token}`, dpop }))
      // One scheme, one challenge list member holding both challenges: Bearer first, then DPoP.
      expect(result.ok || [result.status, result.challenges], name).toEqual([
        401,
        [
          'Bearer realm="api", scope="mcp", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp", ' +
            'DPoP realm="api", error="invalid_dpop_proof", scope="mcp", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp", algs="ES256 ES384 EdDSA Ed25519 PS256 RS256"',
        ],
      ])
    }
  })

  it('htu matches in canonical form, ignoring query; the request may carry only a path when the resource gives the origin', async () => {
    const auth = build()
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    expect((await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token, { htu: 'HTTPS://API.example.com:443/mcp' }) }))).ok).toBe(true)
    expect((await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }, 'POST', '/mcp?session=1'))).ok).toBe(true)
  })

  it('a DPoP-bound token sent as Bearer → 401 invalid_token on the Bearer challenge, with or without the dpop option', async () => {
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const result = await build().authenticate(request({ authorization: `Bearer ${token}` }))
    expect(result.ok || [result.status, result.challenges[0]]).toEqual([401, expect.stringMatching(/^Bearer realm="api", error="invalid_token", .*, DPoP realm="api", scope/)])
    const plain = createAuth({ schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', audience: RESOURCE }) } })
    const refused = await plain.authenticate(request({ authorization: `Bearer ${token}` }), [{ Jwt: [] }])
    expect(refused.ok || [refused.status, refused.problem.detail]).toEqual([401, expect.stringContaining('DPoP-bound')])
  })

  it('an unbound token sent with DPoP → 401; with dpop required a Bearer token → 401 and only a DPoP challenge', async () => {
    const token = await accessToken()
    const unbound = await build().authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
    expect(unbound.ok || unbound.status).toBe(401)
    const required = build('required')
    const bearer = await required.authenticate(request({ authorization: `Bearer ${token}` }))
    expect(bearer.ok || bearer.challenges).toEqual([expect.stringMatching(/^DPoP realm="api", error="invalid_token", .*algs="ES256/)])
    expect(required.protectedResourceMetadata()).toMatchObject({ dpop_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'], dpop_bound_access_tokens_required: true })
  })

  it('server nonces: a proof without the current nonce → 401 use_dpop_nonce with DPoP-Nonce; with it → 200', async () => {
    const auth = build({ mode: 'allowed', nonce: { current: () => 'n-1', check: (nonce: string) => nonce === 'n-1' } })
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const first = await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
    expect(first.ok || [first.headers['DPoP-Nonce'], first.challenges[0]]).toEqual(['n-1', expect.stringContaining('DPoP realm="api", error="use_dpop_nonce"')])
    expect((await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token, { nonce: 'n-1' }) }))).ok).toBe(true)
  })

  it('OpenAPI documents DPoP as x-dpop on the scheme', () => {
    expect(build('required').openapi().components.securitySchemes.Jwt).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', 'x-dpop': { required: true, algorithms: ['ES256', 'ES384', 'EdDSA', 'Ed25519', 'PS256', 'RS256'] } })
  })

  it('the memory replay store is bounded: full of live ids it refuses (503) rather than forgets', async () => {
    const store = new MemoryReplayStore(2)
    const later = Date.now() + 60_000
    expect([store.use('a', later), store.use('a', later), store.use('b', later)]).toEqual([true, false, true])
    expect(() => store.use('c', later)).toThrow(/full/)
    const auth = build({ mode: 'allowed', replayStore: store })
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const full = await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
    expect(full.ok || full.status).toBe(503)
    const shortLived = new MemoryReplayStore(1)
    shortLived.use('x', Date.now() - 1)
    expect(shortLived.use('y', later)).toBe(true)
  })

  it('a replay store that hangs past replayTimeout, rejects or throws → 503, never a grant; a proof by another key than the token\'s is refused before the store is written', async () => {
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const stores = [{ use: () => new Promise<boolean>(() => {}) }, { use: () => Promise.reject(new Error('down')) }, { use: () => { throw new Error('down') } }]
    for (const replayStore of stores) {
      const started = Date.now()
      const result = await build({ mode: 'allowed', replayStore, replayTimeout: 50 }).authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
      expect(result.ok || result.status).toBe(503)
      expect(result.ok || result.headers['Retry-After']).toMatch(/^\d+$/)
      expect(Date.now() - started).toBeLessThan(1000)
    }
    // A proof signed by another key than the token's is refused before the store is written.
    const used: string[] = []
    const counting = build({ mode: 'allowed', replayStore: { use: (id: string) => (used.push(id), true) } })
    const foreign = await counting.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token, {}, other) }))
    expect(foreign.ok || foreign.status).toBe(401)
    expect(used).toEqual([])
    expect((await counting.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))).ok).toBe(true)
    expect(used).toHaveLength(1)
    // Anything but `true` from the store is not a fresh proof.
    const odd = await build({ mode: 'allowed', replayStore: { use: () => 'OK' as never } }).authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }))
    expect(odd.ok || odd.status).toBe(401)
  })

  it('a DPoP token and an access_token query parameter together → 400 (allowQuery)', async () => {
    const auth = createAuth({ resource: RESOURCE, schemes: { Jwt: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.test', allowQuery: true, dpop: 'allowed' }) } })
    const token = await accessToken({ cnf: { jkt: client.jkt } })
    const result = await auth.authenticate(request({ authorization: `DPoP ${token}`, dpop: await proof(token) }, 'POST', `${RESOURCE}?access_token=${token}`), [{ Jwt: [] }])
    expect(result.ok || result.status).toBe(400)
  })

  it('bad dpop options are refused at creation', () => {
    for (const dpop of ['sometimes', { mode: 'allowed', algorithms: ['HS256'] }, { mode: 'allowed', origin: 'https://x.test/path' }, { mode: 'allowed', maxAge: -1 }, { mode: 'allowed', replay: {} }, { mode: 'allowed', replayTimeout: 0 }, { mode: 'allowed', replayTimeout: '50' }]) {
      expect(() => jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'x', audience: 'y', dpop: dpop as never }), JSON.stringify(dpop)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    }
  })
})
