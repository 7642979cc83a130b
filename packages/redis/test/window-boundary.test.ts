import { apiKey, createAuth, httpBasic, throttled, type AuthFailure, type AuthResult, type RequestLike } from '@authspec/core'
import { generateApiKey, issueApiKey } from '@authspec/core/api-keys'
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { redisKeyStore } from '../src/index.js'
import { startRedis, type RedisServer } from './support/redis-server.mjs'

let server: RedisServer
let client: Redis

beforeAll(async () => {
  server = await startRedis()
  client = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 0, commandTimeout: 1000 })
}, 120_000)

afterAll(async () => {
  client?.disconnect()
  await server?.close()
})

afterEach(() => {
  vi.useRealTimers()
})

// A boundary of the 60 s windows. Only Date is faked: the counter keys are named by the window
// of the request's time, the TTLs are Redis's own.
const BOUNDARY = 60_000 * 28_000_001
const status = (result: AuthResult) => (result.ok ? 200 : (result as AuthFailure).status)
const header = (name: string, value: string): RequestLike => ({ method: 'GET', url: '/', headers: { get: (n) => (n.toLowerCase() === name ? value : null) } })

describe('Redis limits hold across a window boundary (real redis-server)', () => {
  it('apiKey throttle (the Lua lookup decides): 3 unknown keys just before a boundary → the right key just after it is 429', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: BOUNDARY - 10 })
    const store = redisKeyStore<{ team: string }>({ client, keyPrefix: 'boundary-key:' })
    const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 3, window: 60 } }) }, security: [{ Key: [] }] })
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'r' } })
    const send = (k: string) => auth.authenticate(header('x-api-key', k), undefined, { client: '198.51.100.30' })
    for (let i = 0; i < 3; i++) expect(status(await send(generateApiKey({ prefix: 'pets' }).key))).toBe(401)
    vi.setSystemTime(BOUNDARY + 5)
    const refused = (await send(key)) as AuthFailure
    expect(refused.status).toBe(429)
    // 3 failures carried over fall to 2 at 20 s into the window: the key works from then on.
    expect(refused.headers['Retry-After']).toBe('20')
    vi.setSystemTime(BOUNDARY + 20_000)
    expect(status(await send(key))).toBe(200)
  })

  it('throttled(httpBasic) on Redis counters: 5 failures just before a boundary, then 50 parallel guesses just after it → no verify call', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: BOUNDARY - 10 })
    let checks = 0
    const store = redisKeyStore({ client, keyPrefix: 'boundary-basic:' })
    const auth = createAuth({
      schemes: { Basic: throttled(httpBasic({ verify: ({ password }) => (checks++, password === 'right' ? { ok: 1 } : null) }), { failures: 5, window: 60, counters: store }) },
      security: [{ Basic: [] }],
    })
    const send = (userPass: string) => auth.authenticate(header('authorization', `Basic ${btoa(userPass)}`), undefined, { client: '198.51.100.31' })
    for (let i = 0; i < 5; i++) expect(status(await send(`eve${i}:wrong`))).toBe(401)
    vi.setSystemTime(BOUNDARY + 5)
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => send(`eve${10 + i}:wrong`)))
    expect(answers.map(status).every((s) => s === 429)).toBe(true)
    expect(checks).toBe(5)
  })
})
