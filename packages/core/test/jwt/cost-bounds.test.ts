import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAX_KIDLESS_KEYS } from '../../src/internal/jwks-resolver.js'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { createTestSecret, signTestToken, startTestIssuer, type TestIssuer } from '../../src/testing/index.js'
import { authenticator, failed, now } from './helpers.js'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('a token without kid is tried against at most MAX_KIDLESS_KEYS fitting keys', () => {
  let issuer: TestIssuer
  const pairs: { privateKey: CryptoKey; jwk: JWK }[] = []

  beforeAll(async () => {
    // EC keys: quick to generate, and every one of them fits ES256.
    for (let i = 0; i < 40; i++) {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
      pairs.push({ privateKey, jwk: { ...(await exportJWK(publicKey)), use: 'sig' } })
    }
    issuer = await startTestIssuer()
    issuer.setJwks({ keys: pairs.map((pair) => pair.jwk) })
    return () => issuer.close()
  })

  const sign = (index: number) =>
    new SignJWT({ aud: 'api', exp: now() + 300 }).setProtectedHeader({ alg: 'ES256' }).setIssuer(issuer.issuer).sign(pairs[index]!.privateKey)
  const scheme = () => jwtBearer({ algorithms: ['ES256'], jwksUri: issuer.jwksUri, issuer: issuer.issuer, audience: 'api', cache: false })

  it('the bound is small and documented: 3', () => {
    expect(MAX_KIDLESS_KEYS).toBe(3)
  })

  it('a kid-less token signed by one of the first 3 fitting keys passes', async () => {
    const check = authenticator(scheme())
    expect((await check(await sign(0))).ok).toBe(true)
    expect((await check(await sign(MAX_KIDLESS_KEYS - 1))).ok).toBe(true)
  })

  it('a kid-less token signed by a later key gets 401, as the rest do', async () => {
    const check = authenticator(scheme())
    expect(failed(await check(await sign(MAX_KIDLESS_KEYS))).status).toBe(401)
    expect(failed(await check(await sign(39))).status).toBe(401)
  })

  it('a forged kid-less token costs at most 3 signature checks and 3 key imports, not one per key of a 40-key set', async () => {
    const check = authenticator(scheme())
    const forged = await signTestToken(createTestSecret('HS256'), {}) // any bytes: only the cost is measured
    const [head, payload] = forged.split('.')
    const token = `${Buffer.from(JSON.stringify({ alg: 'ES256' })).toString('base64url')}.${payload}.${head}`
    await check(await sign(0)) // the set is fetched
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    expect(failed(await check(token)).status).toBe(401)
    expect(verify.mock.calls.length).toBeLessThanOrEqual(MAX_KIDLESS_KEYS)
    expect(importKey.mock.calls.length).toBeLessThanOrEqual(MAX_KIDLESS_KEYS)
  })
})

describe('a token without exp is refused by default; requireExp: false accepts one', () => {
  const secret = createTestSecret('HS256')
  const base = { algorithms: ['HS256' as const], secret: secret.secret, issuer: false as const, audience: false as const }

  it('no exp → 401 "exp claim missing"', async () => {
    const check = authenticator(jwtBearer(base))
    const failure = failed(await check(await signTestToken(secret, { sub: 'u1' }, { expiresIn: null })))
    expect(failure.status).toBe(401)
    expect(failure.problem.detail).toContain('exp claim missing')
  })

  it('requireExp: false accepts a token without exp (and exp is still checked when present)', async () => {
    const check = authenticator(jwtBearer({ ...base, requireExp: false }))
    expect((await check(await signTestToken(secret, { sub: 'u1' }, { expiresIn: null }))).ok).toBe(true)
    expect(failed(await check(await signTestToken(secret, { sub: 'u1', exp: now() - 60 }))).problem.detail).toContain('token expired')
  })

  it('requireExp must be a boolean', () => {
    expect(() => jwtBearer({ ...base, requireExp: 'no' as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
  })
})
