import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { openIdConnect } from '../../src/schemes/open-id-connect.js'
import type { RemoteKeyOptions, RemoteStore } from '../../src/internal/remote-document.js'
import { createTestKey, signTestToken, startTestIssuer, type TestIssuer } from '../../src/testing/index.js'
import { authenticator, failed } from './helpers.js'

const JWKS = '/.well-known/jwks.json'
const DISCOVERY = '/.well-known/openid-configuration'
let issuer: TestIssuer

beforeEach(async () => {
  issuer = await startTestIssuer()
})
afterEach(async () => {
  vi.useRealTimers()
  await issuer.close()
})

/** Freeze `Date` (timers and I/O stay real) so cooldowns and failure TTLs are deterministic. */
function freezeClock(): (ms: number) => void {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
  return (ms) => vi.setSystemTime(Date.now() + ms)
}

const fetches = (path = JWKS): number => issuer.requests[path] ?? 0

function scheme(remoteKeys: RemoteKeyOptions = {}) {
  return jwtBearer({ algorithms: ['RS256'], jwksUri: issuer.jwksUri, issuer: issuer.issuer, audience: 'api', cache: false, remoteKeys })
}

describe('remote JWKS resilience', () => {
  it('the fetch timeout is honoured: a hanging JWKS answers 503 with Retry-After just after timeoutDuration', async () => {
    issuer.setFailure('hang')
    const check = authenticator(scheme({ timeoutDuration: 150, failureTtl: 2000 }))
    const started = performance.now()
    const failure = failed(await check(await issuer.sign({ aud: 'api' })))
    const elapsed = performance.now() - started
    expect(failure.status).toBe(503)
    expect(failure.code).toBe('temporarily_unavailable')
    expect(failure.headers['Retry-After']).toBe('2')
    expect(failure.challenges).toEqual([])
    expect(elapsed).toBeGreaterThanOrEqual(140)
    expect(elapsed).toBeLessThan(1500)
  })

  it('an outage gives 503 (never 401, never a grant), fails fast while it is cached, then recovers', async () => {
    const check = authenticator(scheme({ failureTtl: 5000 }))
    const token = await issuer.sign({ aud: 'api' })
    const advance = freezeClock()
    for (const mode of ['status', 'reset', 'garbage'] as const) {
      issuer.setFailure(mode)
      advance(5000)
      const before = fetches()
      const failure = failed(await check(token))
      expect(failure.status).toBe(503)
      expect(failure.headers['Retry-After']).toBe('5')
      advance(4000)
      expect(failed(await check(token)).status).toBe(503)
      expect(fetches() - before).toBe(1) // the second 503 came from the cached failure
    }
    issuer.setFailure('none')
    advance(1000)
    expect((await check(token)).ok).toBe(true)
  })

  it('an oversized JWKS (declared or streamed past 1 MiB) is refused unread → 503, never buffered', async () => {
    const real = await (await fetch(issuer.jwksUri)).text()
    const huge = `${real.slice(0, -1)}, "padding": "${'x'.repeat(1024 * 1024)}"}`
    for (const declared of [true, false]) {
      const stream = () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(huge))
            controller.close()
          },
        })
      const headers: Record<string, string> = declared ? { 'content-length': String(huge.length) } : {}
      const check = authenticator(scheme({ fetch: async () => new Response(stream(), { headers }) }))
      const failure = failed(await check(await issuer.sign({ aud: 'api' })))
      expect(failure.status).toBe(503)
    }
    // The same document under the limit is accepted.
    const check = authenticator(scheme({ fetch: async () => new Response(real) }))
    expect((await check(await issuer.sign({ aud: 'api' }))).ok).toBe(true)
  })

  it('100 concurrent cold requests make exactly one JWKS fetch', async () => {
    issuer.setDelay(50)
    const check = authenticator(scheme())
    const tokens = await Promise.all(Array.from({ length: 100 }, (_, i) => issuer.sign({ aud: 'api', sub: `u${i}` })))
    const results = await Promise.all(tokens.map((token) => check(token)))
    expect(results.every((result) => result.ok)).toBe(true)
    expect(fetches()).toBe(1)
  })

  it('a flood of unknown kids makes at most one refetch per cooldown', async () => {
    const check = authenticator(scheme({ cooldownDuration: 30_000 }))
    const stranger = await createTestKey('RS256')
    // 100 distinct unknown kids, sent again in every flood.
    const unknown = await Promise.all(Array.from({ length: 100 }, (_, i) => signTestToken(stranger, { iss: issuer.issuer, aud: 'api' }, { header: { kid: `unknown-${i}` } })))
    const good = await issuer.sign({ aud: 'api' })
    const advance = freezeClock()
    expect((await check(good)).ok).toBe(true)
    expect(fetches()).toBe(1)
    const flood = async (tokens: string[]): Promise<void> => {
      const results = await Promise.all(tokens.map((token) => check(token)))
      for (const result of results) expect(failed(result).problem.detail).toContain('no matching key')
    }
    await flood(unknown) // within the cooldown of the first fetch: no refetch
    expect(fetches()).toBe(1)
    advance(30_000)
    await flood(unknown)
    await flood(unknown)
    expect(fetches()).toBe(2)
    advance(29_000)
    await flood(unknown)
    expect(fetches()).toBe(2)
    advance(1000)
    await flood(unknown)
    expect(fetches()).toBe(3)
  })

  it('a rotated key (new kid) is accepted after exactly one refetch', async () => {
    const check = authenticator(scheme({ cooldownDuration: 0 }))
    expect((await check(await issuer.sign({ aud: 'api' }))).ok).toBe(true)
    await issuer.rotate()
    expect((await check(await issuer.sign({ aud: 'api' }))).ok).toBe(true)
    expect(fetches()).toBe(2)
    expect((await check(await issuer.sign({ aud: 'api' }))).ok).toBe(true)
    expect(fetches()).toBe(2)
  })

  it('stale keys keep serving while a refresh fails (cacheMaxAge passed during an outage)', async () => {
    const check = authenticator(scheme({ cacheMaxAge: 60_000, failureTtl: 5000 }))
    const token = await issuer.sign({ aud: 'api' })
    const advance = freezeClock()
    expect((await check(token)).ok).toBe(true)
    issuer.setFailure('status')
    advance(61_000)
    expect((await check(token)).ok).toBe(true)
    expect((await check(token)).ok).toBe(true)
    expect(fetches()).toBe(2) // one failed refresh, then the failure is cached
    issuer.setFailure('none')
    advance(5000)
    expect((await check(token)).ok).toBe(true)
    expect(fetches()).toBe(3)
  })

  it('warmup() prefetches the keys once; during an outage it rejects with ERR_AUTHSPEC_UNAVAILABLE (status 503)', async () => {
    const warm = scheme()
    await warm.warmup!()
    expect(fetches()).toBe(1)
    expect((await authenticator(warm)(await issuer.sign({ aud: 'api' }))).ok).toBe(true)
    expect(fetches()).toBe(1)
    issuer.setFailure('status')
    await expect(scheme().warmup!()).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_UNAVAILABLE', status: 503 })
  })

  it('a shared store (Workers KV / Cache API shape) lets a second scheme skip the network; a broken or hanging store falls back to it', async () => {
    const kv = new Map<string, unknown>()
    const ttls: number[] = []
    const store: RemoteStore = {
      get: async (url) => kv.get(url),
      set: async (url, value, ttl) => {
        kv.set(url, JSON.parse(JSON.stringify(value)))
        ttls.push(ttl)
      },
    }
    const token = await issuer.sign({ aud: 'api' })
    expect((await authenticator(scheme({ store, cacheMaxAge: 60_000 }))(token)).ok).toBe(true)
    expect((await authenticator(scheme({ store }))(token)).ok).toBe(true)
    expect(fetches()).toBe(1)
    expect(ttls).toEqual([60_000])
    const broken: RemoteStore = {
      get: () => {
        throw new Error('kv down')
      },
      set: () => Promise.reject(new Error('kv down')),
    }
    expect((await authenticator(scheme({ store: broken }))(token)).ok).toBe(true)
    expect(fetches()).toBe(2)
    const hanging: RemoteStore = { get: () => new Promise(() => undefined), set: () => undefined }
    expect((await authenticator(scheme({ store: hanging, timeoutDuration: 100 }))(token)).ok).toBe(true)
    expect(fetches()).toBe(3)
  })
})

describe('OpenID discovery resilience', () => {
  function oidc(remoteKeys: RemoteKeyOptions = {}, issuerOverride?: string) {
    return openIdConnect({
      openIdConnectUrl: issuer.openIdConnectUrl,
      algorithms: ['RS256'],
      audience: 'api',
      cache: false,
      remoteKeys,
      ...(issuerOverride === undefined ? {} : { issuer: issuerOverride }),
    })
  }

  it('the discovery document is fetched once and its jwks_uri supplies the keys', async () => {
    const check = authenticator(oidc())
    const tokens = await Promise.all(Array.from({ length: 20 }, () => issuer.sign({ aud: 'api' })))
    const results = await Promise.all(tokens.map((token) => check(token)))
    expect(results.every((result) => result.ok)).toBe(true)
    expect(await check(tokens[0]!)).toMatchObject({ ok: true })
    expect(fetches(DISCOVERY)).toBe(1)
    expect(fetches()).toBe(1)
  })

  it('tokens must carry the discovered issuer', async () => {
    const failure = failed(await authenticator(oidc())(await issuer.sign({ aud: 'api', iss: 'https://evil.test' })))
    expect(failure.status).toBe(401)
    expect(failure.problem.detail).toContain('iss claim invalid')
  })

  it('a discovery document naming another issuer → 503 (never a grant)', async () => {
    const check = authenticator(oidc({}, 'https://expected.test'))
    const failure = failed(await check(await issuer.sign({ aud: 'api', iss: 'https://expected.test' })))
    expect(failure.status).toBe(503)
  })

  it('discovery down → 503 with Retry-After, then recovery after failureTtl', async () => {
    issuer.setFailure('status')
    const check = authenticator(oidc({ failureTtl: 1000 }))
    const token = await issuer.sign({ aud: 'api' })
    const advance = freezeClock()
    const failure = failed(await check(token))
    expect(failure.status).toBe(503)
    expect(failure.headers['Retry-After']).toBe('1')
    issuer.setFailure('none')
    advance(900)
    expect(failed(await check(token)).status).toBe(503) // still within failureTtl: no refetch
    expect(fetches(DISCOVERY)).toBe(1)
    advance(100)
    expect((await check(token)).ok).toBe(true)
    expect(fetches(DISCOVERY)).toBe(2)
  })

  it('a discovery timeout is honoured', async () => {
    issuer.setFailure('hang')
    const check = authenticator(oidc({ timeoutDuration: 150 }))
    const started = performance.now()
    expect(failed(await check(await issuer.sign({ aud: 'api' }))).status).toBe(503)
    expect(performance.now() - started).toBeLessThan(1500)
  })
})
