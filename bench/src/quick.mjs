// `npm run bench:quick`: the target ratios only, in well under a minute; prints ONE JSON line
// (progress goes to stderr with --verbose). Same method as the full run, shorter and smaller.
import { createFixtures, saveFixtures } from './fixtures.mjs'
import { httpRatios, runHttp, runnable, rpsOf } from './http.mjs'
import { microRatios, microTime, runMicro } from './micro.mjs'
import { checkTargets } from './report.mjs'
import { runResourceServer } from './resource-server.mjs'
import { spawnApiKeys } from './api-keys.mjs'

const MICRO_CASES = [
  'JWT HS256/authspec cold (cache off)',
  'JWT HS256/authspec warm (cache on)',
  'JWT HS256/authspec warm, claims callback (cache on)',
  'JWT HS256/jose jwtVerify (pre-imported key)',
  'JWT HS256/fast-jwt (cache)',
]
const HTTP_SERVERS = [
  'hono-floor',
  'hono-floor-headers',
  'hono-authspec-core',
  'hono-authspec-apikey',
  'hono-authspec-openapi',
  'express-floor',
  'express-floor-headers',
  'express-authspec-apikey',
  'express-authspec-openapi',
  'express-passport',
]

const started = Date.now()
const log = process.argv.includes('--verbose') ? (line) => console.error(line) : () => {}
const fixtures = await createFixtures()
const fixturesFile = saveFixtures(fixtures)
log(`quick: micro at ${((Date.now() - started) / 1000).toFixed(1)} s`)
const micro = await runMicro({ fixtures, rounds: 4, cpuMs: 60, algorithms: ['HS256'], include: MICRO_CASES, log })
log(`quick: http at ${((Date.now() - started) / 1000).toFixed(1)} s`)
const http = await runHttp({ fixtures, fixturesFile, names: runnable(HTTP_SERVERS), rounds: 5, duration: 1, warmup: 1, connections: 32, log })
log(`quick: resource server at ${((Date.now() - started) / 1000).toFixed(1)} s`)
const resourceServer = await runResourceServer({ cpuMs: 60, rounds: 3 })
log(`quick: api keys at ${((Date.now() - started) / 1000).toFixed(1)} s`)
// Stored keys, store size, bad-key heap and Redis (smaller than the full run's 1,000,000).
const apiKeys = spawnApiKeys(['--keys', '200000', '--bad', '200000', '--redis', '2000'])
const ratios = { ...microRatios(micro), ...httpRatios(http) }
const line = {
  hono_apikey_vs_floor: ratios.hono_apikey_vs_floor,
  jwt_hs256_cold_vs_jose: ratios.jwt_hs256_cold_vs_jose,
  jwt_warm_vs_fastjwt_cached: ratios.jwt_warm_vs_fastjwt_cached,
  jwt_warm_claims_vs_fastjwt_cached: ratios.jwt_warm_claims_vs_fastjwt_cached,
  express_vs_floor: ratios.express_vs_floor,
  express_vs_passport: ratios.express_vs_passport,
  targets_met: checkTargets({ ...ratios, ...resourceServer, ...apiKeys }).every((t) => t.met === true),
  targets_missed: checkTargets({ ...ratios, ...resourceServer, ...apiKeys }).filter((t) => t.met !== true).map((t) => t.key),
  // Where the Hono ratio goes: the floor sends no Vary / Cache-Control, the adapter must.
  hono_apikey_vs_floor_with_same_headers: ratios.hono_apikey_vs_floor_with_same_headers ?? null,
  hono_core_vs_floor: ratios.hono_core_vs_floor ?? null,
  hono_apikey_cpu_vs_floor: ratios.hono_apikey_cpu_vs_floor ?? null,
  express_cpu_vs_floor: ratios.express_cpu_vs_floor ?? null,
  // express_vs_floor is against the floor sending the adapter's Vary / Cache-Control; this one against the bare floor.
  express_vs_floor_without_headers: ratios.express_vs_floor_without_headers ?? null,
  express_cpu_vs_passport: ratios.express_cpu_vs_passport ?? null,
  hono_floor_rps: Math.round(rpsOf(http, 'hono-floor') ?? 0),
  hono_apikey_rps: Math.round(rpsOf(http, 'hono-authspec-apikey') ?? 0),
  express_floor_rps: Math.round(rpsOf(http, 'express-floor') ?? 0),
  express_floor_headers_rps: Math.round(rpsOf(http, 'express-floor-headers') ?? 0),
  express_apikey_rps: Math.round(rpsOf(http, 'express-authspec-apikey') ?? 0),
  express_passport_rps: Math.round(rpsOf(http, 'express-passport') ?? 0),
  // enforceOpenAPI (one app-level middleware bound to the route) against requireAuth with the same requirement (target ≥ 0.95).
  hono_openapi_vs_requireauth: ratios.hono_openapi_vs_requireauth ?? null,
  express_openapi_vs_requireauth: ratios.express_openapi_vs_requireauth ?? null,
  // The same two comparisons in server CPU per request (steadier when the machine is shared).
  hono_openapi_cpu_vs_requireauth: ratios.hono_openapi_cpu_vs_requireauth ?? null,
  express_openapi_cpu_vs_requireauth: ratios.express_openapi_cpu_vs_requireauth ?? null,
  hono_openapi_rps: Math.round(rpsOf(http, 'hono-authspec-openapi') ?? 0),
  express_openapi_rps: Math.round(rpsOf(http, 'express-authspec-openapi') ?? 0),
  jwt_hs256_cold_ns: Math.round(microTime(micro, 'JWT HS256', 'authspec cold (cache off)') ?? 0),
  jose_hs256_ns: Math.round(microTime(micro, 'JWT HS256', 'jose jwtVerify (pre-imported key)') ?? 0),
  jwt_hs256_warm_ns: Math.round(microTime(micro, 'JWT HS256', 'authspec warm (cache on)') ?? 0),
  jwt_hs256_warm_claims_ns: Math.round(microTime(micro, 'JWT HS256', 'authspec warm, claims callback (cache on)') ?? 0),
  fastjwt_cached_ns: Math.round(microTime(micro, 'JWT HS256', 'fast-jwt (cache)') ?? 0),
  // Issue 14: DPoP proof cost on top of a bearer JWT; introspection cache hit and calls per miss.
  ...resourceServer,
  adapters: Object.fromEntries(http.filter((row) => row.label.includes('authspec')).map((row) => [row.name, row.adapter])),
  ...apiKeys,
  seconds: Math.round((Date.now() - started) / 100) / 10,
}
console.log(JSON.stringify(line))
