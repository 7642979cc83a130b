import { afterEach, describe, expect, it, vi } from 'vitest'
import { Lru } from '../../src/internal/lru.js'
import { scopesFromClaims } from '../../src/internal/scopes-from-claims.js'
import { TokenCache } from '../../src/internal/token-cache.js'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { createTestSecret, signTestToken } from '../../src/testing/index.js'
import { authenticator, failed, now } from './helpers.js'

const secret = createTestSecret('HS256')
const base = { algorithms: ['HS256' as const], secret: secret.secret, issuer: false as const, audience: false as const }

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('Lru', () => {
  it('never holds more than max entries and evicts the least recently used', () => {
    const lru = new Lru<string, number>(3)
    for (const [i, key] of ['a', 'b', 'c'].entries()) lru.set(key, i)
    lru.get('a')
    lru.set('d', 3)
    expect(lru.size).toBe(3)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(0)
    for (let i = 0; i < 1000; i++) lru.set(`k${i}`, i)
    expect(lru.size).toBe(3)
  })
})

describe('TokenCache', () => {
  const outcome = { ok: true }
  it('an entry lives no longer than exp (plus tolerance) nor maxTtl, and nbf is checked on every hit', () => {
    vi.useFakeTimers({ now: 1_000_000_000_000 })
    const t = Date.now() / 1000
    const cache = new TokenCache<object>(10, 60)
    cache.set('exp', outcome, { exp: t + 10, nbf: undefined, iat: undefined, tolerance: 5, maxTokenAge: undefined })
    cache.set('ttl', outcome, { exp: t + 3600, nbf: undefined, iat: undefined, tolerance: 5, maxTokenAge: undefined })
    cache.set('nbf', outcome, { exp: t + 3600, nbf: t + 20, iat: undefined, tolerance: 5, maxTokenAge: undefined })
    cache.set('dead', outcome, { exp: t - 10, nbf: undefined, iat: undefined, tolerance: 5, maxTokenAge: undefined })
    expect(cache.get('exp')).toBe(outcome)
    expect(cache.get('ttl')).toBe(outcome)
    expect(cache.get('nbf')).toBeUndefined()
    expect(cache.get('dead')).toBeUndefined()
    vi.advanceTimersByTime(15_000)
    expect(cache.get('exp')).toBeUndefined()
    expect(cache.get('nbf')).toBe(outcome)
    vi.advanceTimersByTime(50_000)
    expect(cache.get('ttl')).toBeUndefined()
  })

  it('is bounded by max', () => {
    const cache = new TokenCache<object>(5, 60)
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, outcome, { exp: undefined, nbf: undefined, iat: undefined, tolerance: 0, maxTokenAge: undefined })
    expect(cache.size).toBe(5)
  })
})

describe('verified-token cache in jwtBearer', () => {
  it('a repeated token skips the signature check and answers synchronously', async () => {
    const scheme = jwtBearer(base)
    const token = await signTestToken(secret, { sub: 'u1' })
    const first = await scheme.verify(token, { request: { method: 'GET', url: '/', headers: { get: () => null } }, env: undefined, scopes: [] })
    expect(first.ok).toBe(true)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const second = scheme.verify(token, { request: { method: 'GET', url: '/', headers: { get: () => null } }, env: undefined, scopes: [] })
    expect(second).not.toBeInstanceOf(Promise)
    expect(second).toBe(first)
    expect(verify).not.toHaveBeenCalled()
  })

  it('a cached token stops passing once it expires (exp re-checked on the hit)', async () => {
    const check = authenticator(jwtBearer({ ...base, clockTolerance: 0 }))
    const token = await signTestToken(secret, { sub: 'u1', exp: now() + 2 })
    expect((await check(token)).ok).toBe(true)
    vi.useFakeTimers({ now: Date.now() + 3000, toFake: ['Date'] })
    expect(failed(await check(token)).problem.detail).toContain('token expired')
  })

  it('failures are not cached: the same bad token is checked again each time', async () => {
    const scheme = jwtBearer(base)
    const check = authenticator(scheme)
    const token = await signTestToken(createTestSecret('HS256'), { sub: 'u1' })
    const verify = vi.spyOn(crypto.subtle, 'verify')
    expect(failed(await check(token)).status).toBe(401)
    expect(failed(await check(token)).status).toBe(401)
    expect(verify).toHaveBeenCalledTimes(2)
  })

  it('cache: false verifies every time', async () => {
    const check = authenticator(jwtBearer({ ...base, cache: false }))
    const token = await signTestToken(secret, { sub: 'u1' })
    await check(token)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    expect((await check(token)).ok).toBe(true)
    expect(verify).toHaveBeenCalledTimes(1)
  })
})

describe('revocation hooks run on every request, cache hits included', () => {
  const ctx = { request: { method: 'GET', url: '/', headers: { get: () => null } }, env: undefined, scopes: [] }

  it('a jti denied in the claims callback after the first request is refused on the cache hit (401 claims rejected)', async () => {
    const denied = new Set<string>()
    const claims = vi.fn((c: { jti?: string }) => !denied.has(c.jti ?? ''))
    const check = authenticator(jwtBearer({ ...base, claims }))
    const token = await signTestToken(secret, { sub: 'u1', jti: 'j-1' })
    expect((await check(token)).ok).toBe(true)
    denied.add('j-1')
    expect(failed(await check(token))).toMatchObject({ status: 401, code: 'invalid_token' })
    expect(failed(await check(token)).problem.detail).toContain('claims rejected')
    expect(claims).toHaveBeenCalledTimes(3)
  })

  it('an async claims callback (a disabled-account lookup) runs on cache hits too', async () => {
    const disabled = new Set<string>()
    const scheme = jwtBearer({ ...base, claims: async (c) => !disabled.has(String(c.sub)) })
    const check = authenticator(scheme)
    const token = await signTestToken(secret, { sub: 'u2' })
    expect((await check(token)).ok).toBe(true)
    disabled.add('u2')
    expect(failed(await check(token)).status).toBe(401)
  })

  it('the cache still saves the signature check when a claims callback is set', async () => {
    const scheme = jwtBearer({ ...base, claims: () => true })
    const token = await signTestToken(secret, { sub: 'u1' })
    expect((await scheme.verify(token, ctx)).ok).toBe(true)
    const verify = vi.spyOn(crypto.subtle, 'verify')
    const second = scheme.verify(token, ctx)
    expect(second).not.toBeInstanceOf(Promise) // a sync callback keeps the hit synchronous
    expect((second as { ok: boolean }).ok).toBe(true)
    expect(verify).not.toHaveBeenCalled()
  })

  it('a scopes function is called on every request: a role removed after the first request answers 403 on the hit', async () => {
    const roles = new Map([['u1', ['pets:write']]])
    const scopes = vi.fn((p: { claims: { sub?: string } }) => roles.get(p.claims.sub ?? '') ?? [])
    const check = authenticator(jwtBearer({ ...base, scopes }), ['pets:write'])
    const token = await signTestToken(secret, { sub: 'u1' })
    expect(await check(token)).toMatchObject({ ok: true, scopes: ['pets:write'] })
    roles.set('u1', [])
    expect(failed(await check(token))).toMatchObject({ status: 403, code: 'insufficient_scope' })
    expect(scopes).toHaveBeenCalledTimes(2)
  })

  it('a token refused by the claims callback is accepted again when the callback says so (no negative caching)', async () => {
    let allow = false
    const check = authenticator(jwtBearer({ ...base, claims: () => allow }))
    const token = await signTestToken(secret, { sub: 'u1' })
    expect(failed(await check(token)).status).toBe(401)
    allow = true
    expect((await check(token)).ok).toBe(true)
  })
})

describe('scopesFromClaims', () => {
  it('merges space-separated strings and arrays, ignores other types and duplicates', () => {
    expect(scopesFromClaims({ scope: ' a  b ', scp: ['b', 'c', 7], permissions: { x: 1 } }, ['scope', 'scp', 'permissions'])).toEqual(['a', 'b', 'c'])
    expect(scopesFromClaims({ scope: 'a' }, ['scp'])).toEqual([])
  })
})
