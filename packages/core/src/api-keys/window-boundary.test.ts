import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuth } from '../create-auth.js'
import { apiKey } from '../schemes/api-key.js'
import { httpBasic } from '../schemes/http-basic.js'
import { basic, lightRequest } from '../../test/support/requests.js'
import type { AuthFailure, AuthResult } from '../result.js'
import { generateApiKey } from './generate.js'
import { issueApiKey } from './manage.js'
import { memoryCounterStore, memoryKeyStore } from './memory-store.js'
import { reached, retryAfter } from './sliding-window.js'
import { throttled } from './throttled.js'

// A window boundary of the 60 s windows: the sliding-window estimate carries the previous
// window's count over, weighted by the part of it still inside the sliding window.
const BOUNDARY = 60_000 * 28_000_000
const at = (ms: number) => vi.setSystemTime(BOUNDARY + ms)
const status = (result: AuthResult) => (result.ok ? 200 : (result as AuthFailure).status)

afterEach(() => {
  vi.useRealTimers()
})

describe('limits hold across a window boundary (a part of a carried-over failure counts as a whole one)', () => {
  it('throttled(httpBasic): 5 failures just before a boundary still refuse the 6th just after it, without calling verify', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: BOUNDARY - 10 })
    let checks = 0
    const auth = createAuth({
      schemes: { Basic: throttled(httpBasic({ verify: ({ password }) => (checks++, password === 'right' ? { ok: 1 } : null) }), { failures: 5, window: 60, counters: memoryCounterStore() }) },
      security: [{ Basic: [] }],
    })
    const send = (userPass: string) => auth.authenticate(lightRequest({ authorization: basic(userPass) }), undefined, { client: '192.0.2.7' })
    for (let i = 0; i < 5; i++) expect(status(await send(`eve${i}:wrong`))).toBe(401)
    at(5)
    const refused = (await send('eve9:wrong')) as AuthFailure
    expect(refused.status).toBe(429)
    expect(checks).toBe(5)
    // Retry-After is when the next attempt is let in again, not earlier and not later.
    const wait = Number(refused.headers['Retry-After'])
    at(5 + wait * 1000 - 1000)
    expect(status(await send('eve10:wrong'))).toBe(429)
    at(5 + wait * 1000)
    expect(status(await send('eve11:wrong'))).toBe(401)
    expect(checks).toBe(6)
  })

  it('apiKey({ store: memoryKeyStore() }) throttle: 3 unknown keys just before a boundary → the right key just after it is 429', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: BOUNDARY - 10 })
    const store = memoryKeyStore<{ team: string }>()
    const auth = createAuth({
      schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', throttle: { failures: 3, window: 60 } }) },
      security: [{ Key: [] }],
    })
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'a' } })
    const send = (k: string) => auth.authenticate(lightRequest({ 'x-api-key': k }), undefined, { client: '198.51.100.8' })
    for (let i = 0; i < 3; i++) expect(status(await send(generateApiKey({ prefix: 'pets' }).key))).toBe(401)
    at(5)
    expect(status(await send(key))).toBe(429)
  })

  it('usage limit: 3 uses just before a boundary leave no 4th just after it', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: BOUNDARY - 10 })
    const store = memoryKeyStore<{ team: string }>()
    const auth = createAuth({
      schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', limit: { requests: 3, window: 60, counters: memoryCounterStore() } }) },
      security: [{ Key: [] }],
    })
    const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'a' } })
    const send = () => auth.authenticate(lightRequest({ 'x-api-key': key }), undefined, { client: '198.51.100.9' })
    for (let i = 0; i < 3; i++) expect(status(await send())).toBe(200)
    at(5)
    expect(status(await send())).toBe(429)
  })

  it('reached() and retryAfter() agree: after Retry-After seconds the limit is no longer reached, a second earlier it still is', () => {
    const window = 60_000
    let compared = 0
    for (const limit of [1, 2, 5, 10]) {
      for (let current = 0; current <= limit + 3; current++) {
        for (let previous = 0; previous <= limit + 3; previous++) {
          for (const into of [0, 1, 12_000, 30_000, 59_999]) {
            const counts = { current, previous }
            if (!reached(counts, limit, window, into)) continue
            const wait = retryAfter(counts, limit, window, into) * 1000
            // What the counter holds as time passes with nothing more counted.
            const later = (ms: number) => {
              const t = into + ms
              if (t < window) return { counts, t }
              if (t < 2 * window) return { counts: { current: 0, previous: current }, t }
              return { counts: { current: 0, previous: 0 }, t }
            }
            const after = later(wait)
            expect(reached(after.counts, limit, window, after.t)).toBe(false)
            if (wait > 1000) {
              const before = later(wait - 1000)
              expect(reached(before.counts, limit, window, before.t)).toBe(true)
            }
            compared++
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(300)
  })
})
