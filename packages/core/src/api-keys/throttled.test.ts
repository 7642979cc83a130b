import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBasic } from '../schemes/http-basic.js'
import { httpBearer } from '../schemes/http-bearer.js'
import { basic, lightRequest } from '../../test/support/requests.js'
import type { AuthFailure } from '../result.js'
import { memoryCounterStore } from './memory-store.js'
import { throttled } from './throttled.js'
import { estimate, retryAfter } from './sliding-window.js'

describe('throttled(scheme): failed-auth throttling', () => {
  function basicAuth() {
    const calls: string[] = []
    const counters = memoryCounterStore()
    const auth = createAuth({
      schemes: {
        Basic: throttled(
          httpBasic({ verify: ({ username, password }) => (calls.push(username), password === 'right' ? { username } : null) }),
          { failures: 3, window: 60, counters },
        ),
      },
      security: [{ Basic: [] }],
    })
    const send = (userPass: string, client: string | undefined) => auth.authenticate(lightRequest({ authorization: basic(userPass) }), undefined, { client })
    return { calls, send, auth }
  }

  it('Basic: after 3 failures from one client the 4th attempt is 429 without calling verify', async () => {
    const { calls, send } = basicAuth()
    for (let i = 0; i < 3; i++) expect((await send(`alice:wrong${i}`, '192.0.2.1')).ok).toBe(false)
    expect(calls).toHaveLength(3)
    const failure = (await send('alice:right', '192.0.2.1')) as AuthFailure
    expect(failure.status).toBe(429)
    expect(failure.code).toBe('rate_limited')
    expect(failure.headers['Retry-After']).toMatch(/^\d+$/)
    expect(calls).toHaveLength(3)
  })

  it('Basic: a username is counted across clients at credentialFailures (default 10 × failures), so one address cannot lock its owner out', async () => {
    const { send } = basicAuth()
    // One attacker address: stopped at 3, the user still logs in from elsewhere.
    for (let i = 0; i < 10; i++) await send('bob:wrong', '198.51.100.1')
    expect((await send('bob:right', '198.51.100.200')).ok).toBe(true)
    // Failures from many addresses (30 = 10 × 3) do lock the username, from any client.
    for (let i = 0; i < 30; i++) await send('bob:wrong', `198.51.100.${10 + i}`)
    expect(((await send('bob:right', '198.51.100.201')) as AuthFailure).status).toBe(429)
    // Another user from a fresh client is unaffected.
    expect((await send('carol:right', '203.0.113.1')).ok).toBe(true)
  })

  it('Basic: credentialFailures sets the per-username limit; 0 or a fraction is a config error', async () => {
    const auth = createAuth({
      schemes: { Basic: throttled(httpBasic({ verify: ({ password }) => (password === 'right' ? { ok: 1 } : null) }), { failures: 3, credentialFailures: 3, counters: memoryCounterStore() }) },
      security: [{ Basic: [] }],
    })
    const send = (userPass: string, client: string) => auth.authenticate(lightRequest({ authorization: basic(userPass) }), undefined, { client })
    for (let i = 0; i < 3; i++) await send('erin:wrong', `192.0.2.${i}`)
    expect(((await send('erin:right', '192.0.2.100')) as AuthFailure).status).toBe(429)
    for (const bad of [0, 1.5, '3']) expect(() => throttled(httpBasic({ verify: () => null }), { credentialFailures: bad as number })).toThrow(/credentialFailures must be a positive integer/)
    // A timeout that is not a positive number would answer every request 503: refused at creation.
    for (const bad of [0, -1, Number.NaN, '2000']) expect(() => throttled(httpBasic({ verify: () => null }), { timeout: bad as number })).toThrow(/throttled: timeout must be a positive number of milliseconds/)
  })

  it('counters are kept apart per scheme: bad API keys do not lock an address out of Basic; a shared name shares them', async () => {
    const counters = memoryCounterStore()
    const verify = ({ password }: { password: string }) => (password === 'right' ? { ok: 1 } : null)
    const make = (bearerName?: string) =>
      createAuth({
        schemes: {
          Basic: throttled(httpBasic({ verify }), { failures: 2, counters }),
          Bearer: throttled(httpBearer({ verify: (token) => (token === 'good' ? { token } : null) }), { failures: 2, counters, ...(bearerName ? { name: bearerName } : {}) }),
        },
      })
    const apart = make()
    const bearer = (a: typeof apart, token: string) => a.authenticate(lightRequest({ authorization: `Bearer ${token}` }), [{ Bearer: [] }], { client: '192.0.2.50' })
    const login = (a: typeof apart) => a.authenticate(lightRequest({ authorization: basic('frank:right') }), [{ Basic: [] }], { client: '192.0.2.50' })
    for (let i = 0; i < 5; i++) await bearer(apart, `bad${i}`)
    expect(((await bearer(apart, 'good')) as AuthFailure).status).toBe(429)
    expect((await login(apart)).ok).toBe(true)
    const shared = make('basic')
    for (let i = 0; i < 5; i++) await bearer(shared, `bad${i}`)
    expect(((await login(shared)) as AuthFailure).status).toBe(429)
    expect(() => throttled(httpBasic({ verify }), { name: '' })).toThrow(/throttle.name must be a non-empty string/)
  })

  it('Basic: other clients keep succeeding while one is throttled', async () => {
    const { send } = basicAuth()
    for (let i = 0; i < 5; i++) await send(`mallory${i}:x`, '192.0.2.66')
    expect(((await send('dave:right', '192.0.2.66')) as AuthFailure).status).toBe(429)
    expect((await send('dave:right', '192.0.2.67')).ok).toBe(true)
  })

  it('bearer: counted per client only; a successful request does not count', async () => {
    const counters = memoryCounterStore()
    const auth = createAuth({
      schemes: { Bearer: throttled(httpBearer({ verify: (token) => (token === 'good' ? { token } : null) }), { failures: 2, counters }) },
      security: [{ Bearer: [] }],
    })
    const send = (token: string, client: string) => auth.authenticate(lightRequest({ authorization: `Bearer ${token}` }), undefined, { client })
    for (let i = 0; i < 5; i++) expect((await send('good', '192.0.2.9')).ok).toBe(true)
    await send('bad1', '192.0.2.9')
    expect((await send('good', '192.0.2.9')).ok).toBe(true)
    await send('bad2', '192.0.2.9')
    expect(((await send('good', '192.0.2.9')) as AuthFailure).status).toBe(429)
    expect(auth.operation([{ Bearer: [] }]).responses).toHaveProperty('503')
  })

  it('a counter store that fails answers 503, never a grant', async () => {
    const broken = { hit: () => Promise.reject(new Error('down')), peek: () => Promise.reject(new Error('down')) }
    const auth = createAuth({ schemes: { Basic: throttled(httpBasic({ verify: () => ({ ok: true }) }), { counters: broken }) } })
    const failure = (await auth.authenticate(lightRequest({ authorization: basic('a:b') }), [{ Basic: [] }], { client: '192.0.2.1' })) as AuthFailure
    expect(failure.status).toBe(503)
  })
})

describe('sliding window', () => {
  it('weights the previous window by the part still inside the sliding window', () => {
    expect(estimate({ current: 2, previous: 10 }, 60_000, 60_000 * 5)).toBe(12)
    expect(estimate({ current: 2, previous: 10 }, 60_000, 60_000 * 5 + 30_000)).toBe(7)
  })

  it('Retry-After is when the estimate falls below the limit, at least 1 s', () => {
    // limit 10, half-way: 10 * 0.5 + 8 = 13 → needs 4 more → 4 / (10/60 s) = 24 s.
    expect(retryAfter({ current: 8, previous: 10 }, 10, 60_000, 30_000)).toBe(24)
    // The current window alone is over: wait for its end and part of the next.
    expect(retryAfter({ current: 20, previous: 0 }, 10, 60_000, 30_000)).toBe(30 + Math.ceil(60 * (1 - 9 / 20)))
    expect(retryAfter({ current: 1, previous: 0 }, 1, 60_000, 59_999)).toBeGreaterThanOrEqual(1)
  })
})
