import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { apiKey } from '../schemes/api-key.js'
import { httpBasic } from '../schemes/http-basic.js'
import { basic, lightRequest } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'
import { generateApiKey } from './generate.js'
import type { CounterStore, KeyRecord, KeyStore } from './key-store.js'
import { issueApiKey } from './manage.js'
import { memoryCounterStore, memoryKeyStore } from './memory-store.js'
import type { MalformedRecordReport } from './record-check.js'
import { throttled } from './throttled.js'

const status = (result: { ok: boolean }): number => (result.ok ? 200 : (result as AuthFailure).status)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('abuse protection under concurrency', () => {
  it('200 parallel bad Basic passwords at throttled(httpBasic, failures 5) with a slow verify → at most 5 verify calls', async () => {
    let calls = 0
    const auth = createAuth({
      schemes: {
        Basic: throttled(
          httpBasic({ verify: async ({ username, password }) => (calls++, await sleep(20), password === 'right' ? { username } : null) }),
          { failures: 5, window: 60 },
        ),
      },
      security: [{ Basic: [] }],
    })
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => auth.authenticate(lightRequest({ authorization: basic(`alice:guess${i}`) }), undefined, { client: '192.0.2.7' })),
    )
    expect(calls).toBeLessThanOrEqual(5)
    expect(calls).toBeGreaterThan(0)
    expect(results.filter((r) => status(r) === 429).length).toBeGreaterThanOrEqual(195)
    expect(results.some((r) => r.ok)).toBe(false)
  })

  it('a good password gives its reserved attempt back: 5 rounds of 3 parallel good logins (failures 3) from one client all pass', async () => {
    let calls = 0
    const auth = createAuth({
      schemes: { Basic: throttled(httpBasic({ verify: async ({ username, password }) => (calls++, await sleep(5), password === 'right' ? { username } : null) }), { failures: 3, window: 60 }) },
      security: [{ Basic: [] }],
    })
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all([0, 1, 2].map(() => auth.authenticate(lightRequest({ authorization: basic('alice:right') }), undefined, { client: '192.0.2.8' })))
      expect(results.every((r) => r.ok)).toBe(true)
    }
    expect(calls).toBe(15)
  })

  it('more concurrent attempts than failures from one client: the overflow gets 429 (documented price), and nothing stays held after', async () => {
    const auth = createAuth({
      schemes: { Basic: throttled(httpBasic({ verify: async ({ username, password }) => (await sleep(5), password === 'right' ? { username } : null) }), { failures: 3, window: 60 }) },
      security: [{ Basic: [] }],
    })
    const burst = await Promise.all(Array.from({ length: 6 }, () => auth.authenticate(lightRequest({ authorization: basic('alice:right') }), undefined, { client: '192.0.2.9' })))
    expect(burst.map(status).sort()).toEqual([200, 200, 200, 429, 429, 429])
    const after = await Promise.all(Array.from({ length: 3 }, () => auth.authenticate(lightRequest({ authorization: basic('alice:right') }), undefined, { client: '192.0.2.9' })))
    expect(after.map(status)).toEqual([200, 200, 200])
  })

  it('200 parallel unknown keys on the memory store with failures 5 → at most 5 record reads', async () => {
    const counters = memoryCounterStore()
    const records = new Map<string, KeyRecord>()
    let reads = 0
    const store: KeyStore & CounterStore = Object.assign(Object.create(null) as object, {
      get: (hash: string) => (reads++, records.get(hash)),
      hit: counters.hit,
      peek: counters.peek,
      get size() {
        return counters.size
      },
    })
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 5 } }) }, security: [{ Key: [] }] })
    const results = await Promise.all(
      Array.from({ length: 200 }, () => auth.authenticate(lightRequest({ 'x-api-key': generateApiKey({ prefix: 'pets' }).key }), undefined, { client: '198.51.100.1' })),
    )
    expect(reads).toBeLessThanOrEqual(5)
    expect(results.filter((r) => status(r) === 429).length).toBeGreaterThanOrEqual(195)
  })
})

describe('strict records: what another program wrote is validated, never granted', () => {
  const shapes: Array<[string, Record<string, unknown>]> = [
    ['revoked: 1', { revoked: 1 }],
    ['revoked: "true"', { revoked: 'true' }],
    ['revoked: "false"', { revoked: 'false' }],
    ['revoked: null', { revoked: null }],
    ['scopes: "not-admin" (a string)', { scopes: 'not-admin' }],
    ['scopes: [1]', { scopes: [1] }],
    ['principal: []', { principal: [] }],
    ['principal: null', { principal: null }],
    ['principal: "admin"', { principal: 'admin' }],
    ['principal: a Date', { principal: new Date() }],
    ['expiresAt: NaN', { expiresAt: Number.NaN }],
    ['expiresAt: "2999-01-01"', { expiresAt: '2999-01-01' }],
    ['expiresAt: Infinity', { expiresAt: Number.POSITIVE_INFINITY }],
  ]
  for (const [name, fields] of shapes) {
    it(`a record with ${name} is refused (401) and reported once`, async () => {
      const reports: MalformedRecordReport[] = []
      const store = memoryKeyStore()
      const auth = createAuth({
        schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: false, onMalformedRecord: (r) => reports.push(r) }) },
        security: [{ Key: ['admin'] }],
      })
      const { key, hash, id } = generateApiKey({ prefix: 'pets' })
      store.set(hash, { id, principal: { team: 'x' }, scopes: ['admin'], ...fields } as unknown as KeyRecord)
      for (let i = 0; i < 3; i++) {
        const result = await auth.authenticate(lightRequest({ 'x-api-key': key }))
        expect(status(result)).toBe(401)
      }
      expect(reports).toHaveLength(1)
      expect(reports[0]!.id).toBe(id)
      expect(JSON.stringify(reports)).not.toContain(key)
    })
  }

  it('a well-formed record with revoked: false passes', async () => {
    const store = memoryKeyStore()
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: false }) }, security: [{ Key: ['admin'] }] })
    const { key, hash, id } = generateApiKey({ prefix: 'pets' })
    store.set(hash, { id, principal: { team: 'x' }, scopes: ['admin'], revoked: false })
    expect((await auth.authenticate(lightRequest({ 'x-api-key': key }))).ok).toBe(true)
  })

  it('the memory store hands out frozen copies: a handler mutating its principal changes nothing for the next request', async () => {
    const store = memoryKeyStore<{ team: string; tags: string[] }>()
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: false }) }, security: [{ Key: [] }] })
    const principal = { team: 'ci', tags: ['a'] }
    const { key } = await issueApiKey(store, { prefix: 'pets', principal })
    principal.team = 'changed by the caller later'
    const first = await auth.authenticate(lightRequest({ 'x-api-key': key }))
    if (!first.ok) throw new Error('expected a grant')
    const p = first.principals.Key as { team: string; tags: string[] }
    expect(() => (p.team = 'admin')).toThrow(TypeError)
    expect(() => p.tags.push('admin')).toThrow(TypeError)
    const second = await auth.authenticate(lightRequest({ 'x-api-key': key }))
    expect(second.ok && second.principals.Key).toEqual({ team: 'ci', tags: ['a'] })
  })

  it('issueApiKey refuses principal null, scopes as a string and expiresAt NaN with config errors', async () => {
    const store = memoryKeyStore()
    for (const bad of [{ principal: null }, { principal: [] }, { principal: {}, scopes: 'pets:read' }, { principal: {}, expiresAt: Number.NaN }, { principal: {}, scopes: [1] }]) {
      await expect(issueApiKey(store, { prefix: 'pets', ...bad } as never)).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
    }
    expect(store.keys).toBe(0)
  })
})

describe('counters apart and checked at creation', () => {
  it('100,000 failure counters from distinct addresses do not free a limited key', async () => {
    const store = memoryKeyStore({ maxCounters: 1000 })
    const auth = createAuth({
      schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', limit: { requests: 3, window: 3600 }, throttle: { failures: 5, window: 3600 } }) },
      security: [{ Key: [] }],
    })
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: {} })
    for (let i = 0; i < 3; i++) expect((await auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client: '192.0.2.1' })).ok).toBe(true)
    expect(status(await auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client: '192.0.2.1' }))).toBe(429)
    const bad = generateApiKey({ prefix: 'pets' }).key
    for (let i = 0; i < 100_000; i++) {
      const client = `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`
      auth.authenticateNow(lightRequest({ 'x-api-key': bad }), undefined, { client })
    }
    expect(status(await auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client: '192.0.2.1' }))).toBe(429)
  })

  it('a counter store without hit/peek is a config error at creation (throttle, limit, throttled)', () => {
    const store = memoryKeyStore()
    const broken = { hit: () => [] }
    expect(() => apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { counters: broken as never } })).toThrow(/hit\(\) and peek\(\)/)
    expect(() => apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', limit: { requests: 1, counters: broken as never } })).toThrow(/hit\(\) and peek\(\)/)
    expect(() => throttled(httpBasic({ verify: () => null }), { counters: {} as never })).toThrow(/hit\(\) and peek\(\)/)
  })
})

describe('no silent off-switch: client identity', () => {
  it('core authenticate() without a client still throttles: 30 unknown keys, at most 5 record reads, the rest 429', async () => {
    const counters = memoryCounterStore()
    let reads = 0
    const store: KeyStore & CounterStore = { get: () => (reads++, undefined), hit: counters.hit, peek: counters.peek }
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 5 } }) }, security: [{ Key: [] }] })
    const seen: number[] = []
    for (let i = 0; i < 30; i++) seen.push(status(await auth.authenticate(lightRequest({ 'x-api-key': generateApiKey({ prefix: 'pets' }).key }))))
    expect(reads).toBe(5)
    expect(seen.filter((s) => s === 429)).toHaveLength(25)
  })

  it('IPv6 clients are counted per /64 by default: addresses of one /64 share a counter, another /64 does not', async () => {
    const store = memoryKeyStore()
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 3 } }) }, security: [{ Key: [] }] })
    const send = (client: string) => auth.authenticate(lightRequest({ 'x-api-key': generateApiKey({ prefix: 'pets' }).key }), undefined, { client })
    for (const client of ['2001:db8:1:2::1', '2001:db8:1:2:ffff::9', '2001:0db8:0001:0002:0:0:0:7']) expect(status(await send(client))).toBe(401)
    expect(status(await send('2001:db8:1:2:abcd::1'))).toBe(429)
    expect(status(await send('2001:db8:1:3::1'))).toBe(401)
  })

  it('ipv6Prefix: 128 counts each address; a prefix outside 1–128 is a config error', async () => {
    const store = memoryKeyStore()
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 1, ipv6Prefix: 128 } }) }, security: [{ Key: [] }] })
    const send = (client: string) => auth.authenticate(lightRequest({ 'x-api-key': generateApiKey({ prefix: 'pets' }).key }), undefined, { client })
    expect(status(await send('2001:db8::1'))).toBe(401)
    expect(status(await send('2001:db8::2'))).toBe(401)
    expect(status(await send('2001:db8::1'))).toBe(429)
    expect(() => apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { ipv6Prefix: 0 } })).toThrow(/ipv6Prefix/)
  })
})

describe('OpenAPI documents what throttling answers', () => {
  it('an operation whose requirement names a throttled() scheme documents 429 and 503', () => {
    const auth = createAuth({ schemes: { Basic: throttled(httpBasic({ verify: () => null }), { failures: 5 }), Plain: httpBasic({ verify: () => null }) } })
    expect(Object.keys(auth.operation([{ Basic: [] }]).responses).sort()).toEqual(['400', '401', '429', '503'])
    expect(Object.keys(auth.operation([{ Plain: [] }]).responses).sort()).toEqual(['400', '401'])
  })
})
