// Smoke tests of the benchmark harness (not the benchmarks): the ratio arithmetic the targets
// rely on, and that the servers being compared really authenticate (200 with the credential,
// 401 without), so that no figure comes from a server answering errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasJwt } from '../src/authspec-auths.mjs'
import { createFixtures, saveFixtures } from '../src/fixtures.mjs'
import { checkServer, startServer } from '../src/http.mjs'
import { checkTargets } from '../src/report.mjs'
import { credentialHeaders } from '../src/variants.mjs'
import { median, pairedRatio } from '../src/stats.mjs'

describe('ratio arithmetic', () => {
  it('median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('pairedRatio is the median of per-round ratios, not the ratio of medians', () => {
    // Rounds drift (10k → 20k → 30k) but authspec is always 90% of the floor in its round.
    expect(pairedRatio([9_000, 18_000, 27_000], [10_000, 20_000, 30_000])).toBe(0.9)
    expect(pairedRatio([1, 2], [1])).toBeNull()
    expect(pairedRatio([1], [0])).toBeNull()
  })

  it('targets: >= bounds for throughput, <= bounds for time and counts, missing figures are not met', () => {
    const checked = checkTargets({
      hono_apikey_vs_floor_with_same_headers: 0.94,
      express_vs_floor: 0.95,
      express_vs_passport: 1.2,
      jwt_hs256_cold_vs_jose: 1.15,
      jwt_warm_vs_fastjwt_cached: null,
      jwt_warm_claims_vs_fastjwt_cached: 0.8,
      hono_openapi_vs_requireauth: 0.95,
      apikey_stored_vs_static: 2.01,
      redis_round_trips_per_request: 1,
      introspection_hit_ns: 1999,
    })
    const met = Object.fromEntries(checked.map((t) => [t.key, t.met]))
    expect(met).toEqual({
      hono_apikey_vs_floor_with_same_headers: false,
      express_vs_floor: true,
      express_vs_passport: true,
      jwt_hs256_cold_vs_jose: true,
      jwt_warm_vs_fastjwt_cached: null,
      jwt_warm_claims_vs_fastjwt_cached: true,
      hono_openapi_vs_requireauth: true,
      express_openapi_vs_requireauth: null,
      apikey_stored_vs_static: false,
      redis_round_trips_per_request: true,
      introspection_hit_ns: true,
    })
  })
})

describe('benchmark servers authenticate for real', () => {
  const names = ['hono-floor', 'hono-floor-headers', 'hono-authspec-apikey', 'express-floor', 'express-floor-headers', 'express-authspec-apikey', 'express-passport', ...(hasJwt ? ['hono-authspec-jwt', 'express-authspec-jwks'] : [])]
  let fixtures: Awaited<ReturnType<typeof createFixtures>>
  const servers: { name: string; stop: () => Promise<void> }[] = []

  beforeAll(async () => {
    fixtures = await createFixtures()
    const file = saveFixtures(fixtures)
    servers.push(...(await Promise.all(names.map((name) => startServer(name, file)))))
  })

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()))
  })

  it.each(names)('%s: 200 with the credential, 401 without', async (name) => {
    const server = servers.find((s) => s.name === name)
    expect(await checkServer(server, fixtures)).toEqual({ withCredential: 200, withoutCredential: 401 })
  })

  // The `*-floor-headers` servers are what the adapter targets are measured against: they must
  // send exactly the caching headers the adapter sends on a protected 200, or the ratio is not
  // comparing the same output.
  it.each([
    ['hono-floor-headers', 'hono-authspec-apikey'],
    ['express-floor-headers', 'express-authspec-apikey'],
  ])('%s sends the Vary and Cache-Control that %s sends on a 200', async (floor, adapter) => {
    const cachingHeaders = async (name: string) => {
      const server = servers.find((s) => s.name === name) as unknown as { port: number; credential: string }
      const response = await fetch(`http://127.0.0.1:${server.port}/pets`, { headers: credentialHeaders(server.credential, fixtures) })
      await response.arrayBuffer()
      return { status: response.status, vary: response.headers.get('vary'), cacheControl: response.headers.get('cache-control') }
    }
    const expected = await cachingHeaders(adapter)
    expect(expected.vary).not.toBeNull()
    expect(expected.cacheControl).toBe('private')
    expect(await cachingHeaders(floor)).toEqual(expected)
  })
})
