import { describe, expect, it, vi } from 'vitest'
import { createAuth } from '../create-auth.js'
import { apiKey } from '../schemes/api-key.js'
import { lightRequest } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'
import { generateApiKey } from './generate.js'
import type { KeyRecord, KeyStore } from './key-store.js'
import { issueApiKey, revokeApiKey, rotateApiKey } from './manage.js'
import { memoryCounterStore, memoryKeyStore } from './memory-store.js'

const failed = (result: { ok: boolean }): AuthFailure => {
  expect(result.ok).toBe(false)
  return result as AuthFailure
}

function setup(extra: Record<string, unknown> = {}) {
  const store = memoryKeyStore<{ team: string }>()
  const auth = createAuth({
    schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', ...extra }) },
    security: [{ Key: [] }],
  })
  const send = (key: string, client = '192.0.2.1') => auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client })
  return { store, auth, send }
}

/** A store that answers through `get` only, counting calls. */
function spyStore(records: Map<string, KeyRecord>): KeyStore & { calls: number } {
  const store = { calls: 0, get: (hash: string) => (store.calls++, Promise.resolve(records.get(hash))) }
  return store
}

describe('apiKey({ store })', () => {
  it('a generated key, stored by its hash, authenticates with the record principal and scopes', async () => {
    const { store, send } = setup()
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'ci' }, scopes: ['pets:read'] })
    const result = await send(key)
    expect(result).toMatchObject({ ok: true, principals: { Key: { team: 'ci' } }, scopes: ['pets:read'] })
  })

  it('a key with one character changed, or another prefix, is refused (401) without any store call', async () => {
    const records = new Map<string, KeyRecord>()
    const { key, hash, id } = generateApiKey({ prefix: 'pets' })
    records.set(hash, { id, principal: {} })
    const store = spyStore(records)
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: false }) }, security: [{ Key: [] }] })
    expect((await auth.authenticate(lightRequest({ 'x-api-key': key }))).ok).toBe(true)
    expect(store.calls).toBe(1)
    const changed = key.slice(0, 10) + (key[10] === 'x' ? 'y' : 'x') + key.slice(11)
    for (const bad of [changed, generateApiKey({ prefix: 'other' }).key, 'pets_short', key.toLowerCase()]) {
      const failure = failed(await auth.authenticate(lightRequest({ 'x-api-key': bad })))
      expect(failure.status, bad).toBe(401)
      expect(failure.code).toBe('invalid_token')
    }
    expect(store.calls).toBe(1)
  })

  it('an accepted key is remembered, yet its record is read on every request: a change another program makes refuses it at once', async () => {
    const records = new Map<string, KeyRecord>()
    const { key, hash, id } = generateApiKey({ prefix: 'pets' })
    records.set(hash, { id, principal: { team: 'ci' } })
    const store = spyStore(records)
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: false }) }, security: [{ Key: [] }] })
    const send = () => auth.authenticate(lightRequest({ 'x-api-key': key }))
    for (let i = 0; i < 3; i++) expect((await send()).ok).toBe(true)
    expect(store.calls).toBe(3)
    records.set(hash, { id, principal: { team: 'ci' }, revoked: 1 } as unknown as KeyRecord)
    expect(failed(await send()).status).toBe(401)
    records.set(hash, { id, principal: { team: 'ci' }, expiresAt: Date.now() - 1 })
    expect(failed(await send()).status).toBe(401)
    records.delete(hash)
    expect(failed(await send()).status).toBe(401)
    expect(store.calls).toBe(6)
  })

  it('unknown, expired and revoked keys are refused (401 invalid_token)', async () => {
    const { store, send } = setup()
    const unknown = generateApiKey({ prefix: 'pets' })
    expect(failed(await send(unknown.key)).status).toBe(401)
    const expired = await issueApiKey(store, { prefix: 'pets', principal: { team: 'a' }, expiresAt: Date.now() - 1 })
    expect(failed(await send(expired.key)).code).toBe('invalid_token')
    const revoked = await issueApiKey(store, { prefix: 'pets', principal: { team: 'b' } })
    expect((await send(revoked.key)).ok).toBe(true)
    expect(await revokeApiKey(store, revoked.hash)).toBe(true)
    expect(failed(await send(revoked.key)).status).toBe(401)
  })

  it('rotation: old and new keys both work during the grace period, then only the new one', async () => {
    vi.useFakeTimers({ now: 1_000_000_000_000, toFake: ['Date'] })
    try {
      const { store, send } = setup()
      const old = await issueApiKey(store, { prefix: 'pets', principal: { team: 'ci' } })
      const next = await rotateApiKey(store, old.hash, { prefix: 'pets', grace: 60 })
      expect((await send(old.key)).ok).toBe(true)
      expect((await send(next.key)).ok).toBe(true)
      expect(store.get(next.hash)).toMatchObject({ id: next.id, principal: { team: 'ci' } })
      vi.setSystemTime(1_000_000_000_000 + 61_000)
      expect(failed(await send(old.key)).status).toBe(401)
      expect((await send(next.key)).ok).toBe(true)
      await expect(rotateApiKey(store, old.hash, { prefix: 'pets', grace: 1 })).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
    } finally {
      vi.useRealTimers()
    }
  })

  it('a store that throws, rejects or hangs answers 503 with Retry-After, never 401 or a grant', async () => {
    const { key } = generateApiKey({ prefix: 'pets' })
    const stores: KeyStore[] = [
      { get: () => { throw new Error('boom') } },
      { get: () => Promise.reject(new Error('ECONNREFUSED')) },
      { get: () => new Promise(() => {}) },
    ]
    for (const store of stores) {
      const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', timeout: 50, throttle: false }) } })
      const started = Date.now()
      const failure = failed(await auth.authenticate(lightRequest({ 'x-api-key': key }), [{ Key: [] }]))
      expect(failure.status).toBe(503)
      expect(failure.code).toBe('temporarily_unavailable')
      expect(failure.headers['Retry-After']).toBe('5')
      expect(failure.challenges).toEqual([])
      expect(Date.now() - started).toBeLessThan(1000)
    }
  })

  it('over the usage limit → 429 rate_limited with Retry-After and RateLimit headers, never 401', async () => {
    const { store, send } = setup({ limit: { requests: 3, window: 60 } })
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'ci' } })
    const other = await issueApiKey(store, { prefix: 'pets', principal: { team: 'other' } })
    for (let i = 0; i < 3; i++) expect((await send(key)).ok).toBe(true)
    const failure = failed(await send(key))
    expect(failure.status).toBe(429)
    expect(failure.code).toBe('rate_limited')
    expect(failure.problem).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'rate_limited' })
    expect(Number(failure.headers['Retry-After'])).toBeGreaterThanOrEqual(1)
    expect(failure.headers['RateLimit-Policy']).toBe('"usage";q=3;w=60')
    expect(failure.headers.RateLimit).toMatch(/^"usage";r=0;t=\d+$/)
    expect(failure.headers['WWW-Authenticate']).toBeUndefined()
    expect(failure.response.status).toBe(429)
    expect((await send(other.key)).ok).toBe(true)
  })

  it('after N failed attempts a client gets 429 without a store lookup; other clients are unaffected', async () => {
    const records = new Map<string, KeyRecord>()
    const good = generateApiKey({ prefix: 'pets' })
    records.set(good.hash, { id: good.id, principal: { ok: 1 } })
    const store = spyStore(records)
    const auth = createAuth({
      schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 3, window: 60 } }) },
      security: [{ Key: [] }],
    })
    const send = (key: string, client: string) => auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client })
    for (let i = 0; i < 3; i++) expect(failed(await send(generateApiKey({ prefix: 'pets' }).key, '198.51.100.7')).status).toBe(401)
    const calls = store.calls
    const blocked = failed(await send(good.key, '198.51.100.7'))
    expect(blocked.status).toBe(429)
    expect(blocked.headers['RateLimit-Policy']).toBe('"failures";q=3;w=60')
    expect(store.calls).toBe(calls)
    expect((await send(good.key, '203.0.113.9')).ok).toBe(true)
  })

  it('a key this scheme accepted recently is served from a throttled address; a key it never accepted gets 429; a remembered key later revoked is refused and counted', async () => {
    const records = new Map<string, KeyRecord>()
    const known = generateApiKey({ prefix: 'pets' })
    const unseen = generateApiKey({ prefix: 'pets' })
    for (const { hash, id } of [known, unseen]) records.set(hash, { id, principal: { ok: 1 } })
    const counters = memoryCounterStore()
    const auth = createAuth({
      schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store: spyStore(records), prefix: 'pets', throttle: { failures: 3, window: 60, counters } }) },
      security: [{ Key: [] }],
    })
    const send = (key: string, client: string) => auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client })
    expect((await send(known.key, '203.0.113.9')).ok).toBe(true)
    // Another client at the shared address (a NAT) guesses 3 times: the address is throttled.
    for (let i = 0; i < 3; i++) expect(failed(await send(generateApiKey({ prefix: 'pets' }).key, '198.51.100.7')).status).toBe(401)
    expect(failed(await send(unseen.key, '198.51.100.7')).status).toBe(429)
    expect((await send(known.key, '198.51.100.7')).ok).toBe(true)
    // Revoked after it was remembered: refused, and counted against the client.
    records.set(known.hash, { id: known.id, principal: { ok: 1 }, revoked: true })
    expect(failed(await send(known.key, '203.0.113.9')).status).toBe(401)
    const [count] = await counters.peek(['authspec:fail:key:pets:c:203.0.113.9'], 60_000, Date.now())
    expect(count!.current).toBe(1)
  })

  it('a memory store is bounded: set beyond maxKeys throws, counters evict', () => {
    const store = memoryKeyStore({ maxKeys: 2, maxCounters: 10 })
    store.set('a', { id: 'a', principal: {} })
    store.set('b', { id: 'b', principal: {} })
    store.set('a', { id: 'a', principal: { again: true } })
    expect(() => store.set('c', { id: 'c', principal: {} })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    for (let i = 0; i < 100; i++) store.hit([`k${i}`], 60_000, Date.now())
    expect(store.size).toBe(10)
  })

  it('config errors at creation: no prefix, bad store, verify with store, limit without counters', () => {
    const store = memoryKeyStore()
    const make = (options: Record<string, unknown>) => () => apiKey({ in: 'header', name: 'X-API-Key', ...options } as never)
    expect(make({ store })).toThrow(/prefix/)
    expect(make({ store: {}, prefix: 'p' })).toThrow(/get\(hash\)/)
    expect(make({ store, prefix: 'p', verify: () => ({}) })).toThrow(/one of verify, keys or store/)
    expect(make({ store: { get: () => undefined }, prefix: 'p', limit: { requests: 1 } })).toThrow(/counters/)
    expect(make({ store, prefix: 'p', limit: { requests: 0 } })).toThrow(/limit.requests/)
    expect(make({ store, prefix: 'p', throttle: { failures: -1 } })).toThrow(/throttle.failures/)
  })

  it('the operation documents 429 and 503 for a stored-key scheme', () => {
    const { auth } = setup({ limit: { requests: 3 } })
    const { responses } = auth.operation([{ Key: [] }])
    expect(Object.keys(responses).sort()).toEqual(['400', '401', '429', '503'])
    expect(responses['429']!.headers).toHaveProperty('RateLimit')
  })
})

describe('memoryKeyStore.lookup (one call per request)', () => {
  it('counts use only for existing records and skips the record read once throttled', () => {
    const store = memoryKeyStore()
    store.set('h', { id: 'i', principal: {} })
    const now = 120_000
    const count = { key: 'use:i', window: 60_000 }
    expect(store.lookup({ hash: 'h', now, count }).count).toEqual({ current: 1, previous: 0 })
    expect(store.lookup({ hash: 'nope', now, count: { key: 'use:x', window: 60_000 } }).count).toBeUndefined()
    store.hit(['fail:c'], 60_000, now)
    store.hit(['fail:c'], 60_000, now)
    const peek = { keys: ['fail:c'], window: 60_000, failures: 2 }
    const answer = store.lookup({ hash: 'h', now, count, peek })
    expect(answer.record).toBeUndefined()
    expect(answer.peek).toEqual([{ current: 2, previous: 0 }])
    expect(store.lookup({ hash: 'h', now, count }).count).toEqual({ current: 2, previous: 0 })
  })
})
