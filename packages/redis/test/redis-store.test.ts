import { apiKey, createAuth, httpBasic, throttled, type AuthFailure, type RequestLike } from '@authspec/core'
import { generateApiKey, issueApiKey, revokeApiKey, rotateApiKey } from '@authspec/core/api-keys'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { redisKeyStore } from '../src/index.js'
import { startRedis, type RedisServer } from './support/redis-server.mjs'

let server: RedisServer
const clients: Redis[] = []

beforeAll(async () => {
  server = await startRedis()
}, 120_000)

afterAll(async () => {
  for (const client of clients) client.disconnect()
  await server?.close()
})

/** One "instance": its own connection, store and auth, as a separate process would have. */
function instance(options: { limit?: number; failures?: number; timeout?: number; offlineQueue?: boolean } = {}) {
  const client = new Redis(server.port, '127.0.0.1', {
    enableOfflineQueue: options.offlineQueue ?? false,
    retryStrategy: () => 50,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
  })
  // Connection errors during the outage test are expected; requests see them as 503s.
  client.on('error', () => {})
  clients.push(client)
  const store = redisKeyStore<{ team: string }>({ client, keyPrefix: 'test:' })
  const auth = createAuth({
    schemes: {
      Key: apiKey({
        in: 'header',
        name: 'X-API-Key',
        store,
        prefix: 'pets',
        timeout: options.timeout ?? 1000,
        ...(options.limit === undefined ? {} : { limit: { requests: options.limit, window: 60 } }),
        throttle: { failures: options.failures ?? 1000, window: 60 },
      }),
    },
    security: [{ Key: [] }],
  })
  const send = (key: string, address = '192.0.2.1') => auth.authenticate(request(key), undefined, { client: address })
  return { client, store, auth, send }
}

function request(key: string): RequestLike {
  return { method: 'GET', url: '/pets', headers: { get: (name) => (name.toLowerCase() === 'x-api-key' ? key : null) } }
}

const status = (result: { ok: boolean }) => (result.ok ? 200 : (result as AuthFailure).status)

async function ready(client: Redis): Promise<void> {
  for (let i = 0; i < 200 && client.status !== 'ready'; i++) await new Promise((resolve) => setTimeout(resolve, 25))
  expect(client.status).toBe('ready')
}

describe('@authspec/redis against a real redis-server', () => {
  it('two instances share one server: a key issued through one works through the other; revocation through one is seen by the other', async () => {
    const a = instance()
    const b = instance()
    await Promise.all([ready(a.client), ready(b.client)])
    const issued = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'ci' }, scopes: ['pets:read'] })
    const result = await b.send(issued.key)
    expect(result).toMatchObject({ ok: true, principals: { Key: { team: 'ci' } }, scopes: ['pets:read'] })
    expect(await revokeApiKey(a.store, issued.hash)).toBe(true)
    const refused = (await b.send(issued.key)) as AuthFailure
    expect(refused.status).toBe(401)
    expect(refused.code).toBe('invalid_token')
  })

  it('expired records, rotation grace and records written by other code', async () => {
    const a = instance()
    const b = instance()
    await Promise.all([ready(a.client), ready(b.client)])
    const soon = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 't' }, expiresAt: Date.now() + 300 })
    expect(status(await b.send(soon.key))).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(status(await b.send(soon.key))).toBe(401)
    const old = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'r' } })
    const next = await rotateApiKey(a.store, old.hash, { prefix: 'pets', grace: 0.3 })
    expect([status(await b.send(old.key)), status(await b.send(next.key))]).toEqual([200, 200])
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect([status(await b.send(old.key)), status(await b.send(next.key))]).toEqual([401, 200])
    // Another program writes the same JSON under the same key name.
    const own = generateApiKey({ prefix: 'pets' })
    await a.client.set(`test:key:${own.hash}`, JSON.stringify({ id: own.id, principal: { team: 'sql-sync' } }))
    expect(await b.send(own.key)).toMatchObject({ ok: true, principals: { Key: { team: 'sql-sync' } } })
  })

  it('the usage limit is shared: requests through either instance count against one limit (429)', async () => {
    const a = instance({ limit: 5 })
    const b = instance({ limit: 5 })
    await Promise.all([ready(a.client), ready(b.client)])
    const { key } = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'l' } })
    const seen = [await a.send(key), await b.send(key), await a.send(key), await b.send(key), await a.send(key)].map(status)
    expect(seen).toEqual([200, 200, 200, 200, 200])
    const limited = (await b.send(key)) as AuthFailure
    expect(limited.status).toBe(429)
    expect(limited.code).toBe('rate_limited')
    expect(limited.headers['RateLimit-Policy']).toBe('"usage";q=5;w=60')
    expect(Number(limited.headers['Retry-After'])).toBeGreaterThanOrEqual(1)
    expect(status(await a.send(key))).toBe(429)
  })

  it('failed-auth throttling is shared: failures through both instances block the client on both; other clients pass', async () => {
    const a = instance({ failures: 3 })
    const b = instance({ failures: 3 })
    await Promise.all([ready(a.client), ready(b.client)])
    const { key } = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'x' } })
    const attacker = '198.51.100.23'
    expect(status(await a.send(generateApiKey({ prefix: 'pets' }).key, attacker))).toBe(401)
    expect(status(await b.send(generateApiKey({ prefix: 'pets' }).key, attacker))).toBe(401)
    expect(status(await a.send(generateApiKey({ prefix: 'pets' }).key, attacker))).toBe(401)
    expect(status(await b.send(key, attacker))).toBe(429)
    expect(status(await a.send(key, attacker))).toBe(429)
    expect(status(await b.send(key, '203.0.113.5'))).toBe(200)
  })

  it('200 parallel unknown keys through two instances at failures 5 → at most 5 record reads (401), the rest 429', async () => {
    const a = instance({ failures: 5 })
    const b = instance({ failures: 5 })
    await Promise.all([ready(a.client), ready(b.client)])
    const attacker = '198.51.100.77'
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).send(generateApiKey({ prefix: 'pets' }).key, attacker)))
    const seen = results.map(status)
    expect(seen.filter((s) => s === 401).length).toBeLessThanOrEqual(5)
    expect(seen.filter((s) => s === 429).length).toBeGreaterThanOrEqual(195)
    expect(seen.every((s) => s === 401 || s === 429)).toBe(true)
  })

  it('throttled(httpBasic) on Redis counters, two instances, 200 parallel bad passwords with a slow verify → at most 5 verify calls; good logins give their attempt back', async () => {
    let calls = 0
    const basicInstance = () => {
      const { client, store } = instance()
      const auth = createAuth({
        schemes: { Basic: throttled(httpBasic({ verify: async ({ username, password }) => (calls++, await new Promise((r) => setTimeout(r, 20)), password === 'right' ? { username } : null) }), { failures: 5, window: 60, counters: store }) },
        security: [{ Basic: [] }],
      })
      const send = (userPass: string, address: string) => auth.authenticate({ method: 'GET', url: '/', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? `Basic ${btoa(userPass)}` : null) } }, undefined, { client: address })
      return { client, send }
    }
    const a = basicInstance()
    const b = basicInstance()
    await Promise.all([ready(a.client), ready(b.client)])
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? a : b).send(`mallory:guess${i}`, '198.51.100.90')))
    expect(calls).toBeLessThanOrEqual(5)
    expect(results.filter((r) => status(r) === 429).length).toBeGreaterThanOrEqual(195)
    calls = 0
    for (let round = 0; round < 4; round++) {
      const good = await Promise.all([a, b, a].map((x) => x.send('alice:right', '203.0.113.40')))
      expect(good.map(status)).toEqual([200, 200, 200])
    }
    expect(calls).toBe(12)
  })

  it('concurrent rotate + revoke through two instances always ends revoked (the revocation is never lost), 40 races', async () => {
    const a = instance()
    const b = instance()
    await Promise.all([ready(a.client), ready(b.client)])
    for (let round = 0; round < 40; round++) {
      const issued = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'race' } })
      const [rotation, revoked] = await Promise.allSettled([rotateApiKey(a.store, issued.hash, { prefix: 'pets', grace: 3600 }), revokeApiKey(b.store, issued.hash)])
      expect(revoked).toEqual({ status: 'fulfilled', value: true })
      // Whichever ran first, the old key ends revoked: refused on both instances.
      expect((await a.store.get(issued.hash))?.revoked).toBe(true)
      expect(status(await b.send(issued.key, '198.51.100.200'))).toBe(401)
      // A rotation that lost the race (the key was already revoked) throws and leaves no new key.
      if (rotation.status === 'rejected') expect(String(rotation.reason)).toMatch(/no valid key/)
      else expect(status(await a.send(rotation.value.key, '198.51.100.200'))).toBe(200)
    }
  })

  it('records other programs wrote with revoked "true", scopes as a string or principal [] are refused', async () => {
    const a = instance()
    await ready(a.client)
    for (const fields of [{ revoked: 'true' }, { revoked: 1 }, { scopes: 'admin' }, { principal: [] }, { expiresAt: 'never' }]) {
      const own = generateApiKey({ prefix: 'pets' })
      await a.client.set(`test:key:${own.hash}`, JSON.stringify({ id: own.id, principal: { team: 'sql-sync' }, ...fields }))
      expect(status(await a.send(own.key, '203.0.113.99')), JSON.stringify(fields)).toBe(401)
    }
  })

  it('one round trip per request, and connections are reused (CLIENT LIST does not grow)', async () => {
    const a = instance({ limit: 1000, failures: 5 })
    await ready(a.client)
    const { key } = await issueApiKey(a.store, { prefix: 'pets', principal: { team: 'rt' } })
    await a.send(key) // loads the script (EVALSHA, then EVAL once on NOSCRIPT)
    const admin = instance().client
    await ready(admin)
    const before = (await admin.client('LIST')) as string
    let sent = 0
    const original = a.client.sendCommand.bind(a.client)
    a.client.sendCommand = ((command: never, stream?: never) => (sent++, original(command, stream))) as typeof a.client.sendCommand
    for (let i = 0; i < 50; i++) expect(status(await a.send(key))).toBe(200)
    a.client.sendCommand = original
    expect(sent).toBe(50)
    const after = (await admin.client('LIST')) as string
    expect(after.trim().split('\n').length).toBe(before.trim().split('\n').length)
  })

  it('Redis stopped mid-run → 503 with Retry-After (never 401, never a grant); restarted → requests pass again', async () => {
    const fast = instance() // no offline queue: fails at once while disconnected
    const queued = instance({ offlineQueue: true, timeout: 300 }) // queues: bounded by the auth's timeout
    await Promise.all([ready(fast.client), ready(queued.client)])
    const { key, hash, id } = await issueApiKey(fast.store, { prefix: 'pets', principal: { team: 'outage' } })
    expect([status(await fast.send(key)), status(await queued.send(key))]).toEqual([200, 200])

    await server.stop()
    for (const each of [fast, queued]) {
      const started = Date.now()
      const failure = (await each.send(key)) as AuthFailure
      expect(failure.status).toBe(503)
      expect(failure.code).toBe('temporarily_unavailable')
      expect(failure.headers['Retry-After']).toBe('5')
      expect(Date.now() - started).toBeLessThan(1500)
      // A made-up key is still refused locally (checksum), without the store.
      expect(status(await each.send('pets_nonsense'))).toBe(401)
    }

    await server.start()
    await Promise.all([ready(fast.client), ready(queued.client)])
    // No persistence: the restarted server is empty, so the record is written again (as a sync job would).
    expect(status(await fast.send(key))).toBe(401)
    await fast.store.set(hash, { id, principal: { team: 'outage' } })
    expect([status(await fast.send(key)), status(await queued.send(key))]).toEqual([200, 200])
  }, 30_000)
})
