// Micro benchmarks: one process, the same inputs for every library, measured with mitata.
// authspec is measured through `auth.authenticate(request, prepared)` with a pre-built standard
// Request reused across iterations (building a Request is not what is measured); the peers get
// the token string directly, with their keys imported once, up front.
import { Buffer } from 'node:buffer'
import { createPublicKey, createSecretKey } from 'node:crypto'
import { createVerifier } from 'fast-jwt'
import { verify as honoVerify } from 'hono/jwt'
import { importSPKI, jwtVerify } from 'jose'
import jsonwebtoken from 'jsonwebtoken'
import { do_not_optimize, measure } from 'mitata'
import { hasJwt, jwtAuth, simpleAuths } from './authspec-auths.mjs'
import { ALGORITHMS, API_KEY_HEADER, AUDIENCE, ISSUER, loadFixtures } from './fixtures.mjs'
import { formatNs, isMain, markdownTable, median, pairedRatio } from './stats.mjs'

const URL_ = 'http://127.0.0.1/pets'
/** Operations per measured call. */
const BATCH = 16

function expectOk(name, value) {
  if (value === null || value === undefined || value.ok === false) {
    throw new Error(`micro case "${name}" did not authenticate: ${JSON.stringify(value?.problem ?? value)}`)
  }
}

/** Build every case; each `run` performs one authentication and returns its result. */
async function buildCases(fixtures, { algorithms = ALGORITHMS, include } = {}) {
  const cases = []
  const add = (group, name, run) => {
    if (include === undefined || include.includes(`${group}/${name}`)) cases.push({ group, name, run })
  }

  const simple = simpleAuths(fixtures)
  const keyRequest = new Request(URL_, { headers: { [API_KEY_HEADER]: fixtures.apiKey } })
  const basicRequest = new Request(URL_, {
    headers: { authorization: `Basic ${Buffer.from(`${fixtures.basic.username}:${fixtures.basic.password}`).toString('base64')}` },
  })
  const opaqueRequest = new Request(URL_, { headers: { authorization: `Bearer ${fixtures.opaque}` } })
  add('apiKey', 'hand-written === (floor)', () => ({ ok: keyRequest.headers.get(API_KEY_HEADER) === fixtures.apiKey }))
  add('apiKey', 'authspec', () => simple.auth.authenticate(keyRequest, simple.apiKey))
  add('Basic', 'authspec', () => simple.auth.authenticate(basicRequest, simple.basic))
  add('opaque Bearer', 'authspec', () => simple.auth.authenticate(opaqueRequest, simple.opaque))

  for (const alg of algorithms) {
    const token = fixtures.tokens[alg]
    const group = `JWT ${alg}`
    const request = new Request(URL_, { headers: { authorization: `Bearer ${token}` } })
    if (hasJwt) {
      const cold = jwtAuth(fixtures, alg, { cache: false })
      const warm = jwtAuth(fixtures, alg, { cache: true })
      add(group, 'authspec cold (cache off)', () => cold.auth.authenticate(request, cold.prepared))
      add(group, 'authspec warm (cache on)', () => warm.auth.authenticate(request, warm.prepared))
      // A revocation check (a jti/sub denylist) in the claims callback: it runs on every cache hit.
      const denied = new Set(['revoked-user'])
      const warmClaims = jwtAuth(fixtures, alg, { cache: true, claims: (claims) => !denied.has(claims.sub) })
      add(group, 'authspec warm, claims callback (cache on)', () => warmClaims.auth.authenticate(request, warmClaims.prepared))
    }
    const joseKey =
      alg === 'HS256'
        ? await crypto.subtle.importKey('raw', new TextEncoder().encode(fixtures.keys.HS256.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
        : await importSPKI(fixtures.keys[alg].publicPem, alg)
    const joseOptions = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
    add(group, 'jose jwtVerify (pre-imported key)', () => jwtVerify(token, joseKey, joseOptions))

    // hono/jwt gets the same pre-imported CryptoKey (its fastest path).
    const honoOptions = { alg, iss: ISSUER, aud: AUDIENCE }
    add(group, 'hono/jwt verify', () => honoVerify(token, joseKey, honoOptions))

    const fastKey = alg === 'HS256' ? fixtures.keys.HS256.secret : fixtures.keys[alg].publicPem
    const fastOptions = { key: fastKey, algorithms: [alg], allowedIss: ISSUER, allowedAud: AUDIENCE }
    const fastNoCache = createVerifier({ ...fastOptions, cache: false })
    const fastCache = createVerifier({ ...fastOptions, cache: true })
    add(group, 'fast-jwt (no cache)', () => fastNoCache(token))
    add(group, 'fast-jwt (cache)', () => fastCache(token))

    if (alg !== 'EdDSA') {
      // jsonwebtoken 9 has no EdDSA. Its key is a pre-built KeyObject: given a string secret it
      // first tries (and fails) to parse it as a PEM public key on every call (~350 µs).
      const jwtKey = alg === 'HS256' ? createSecretKey(Buffer.from(fixtures.keys.HS256.secret)) : createPublicKey(fixtures.keys[alg].publicPem)
      const jwtOpts = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
      add(group, 'jsonwebtoken', () => jsonwebtoken.verify(token, jwtKey, jwtOpts))
    }
  }

  // Prove every case authenticates before anything is timed.
  for (const c of cases) {
    const first = c.run()
    c.isAsync = first instanceof Promise
    expectOk(`${c.group}/${c.name}`, await first)
  }
  return cases
}

/**
 * Run the micro benchmarks: `rounds` interleaved passes over every case (A B C, A B C, …), each
 * pass a mitata measurement of at least `cpuMs` of CPU time of calls that each run BATCH
 * operations; a case's time is the median over the passes of mitata's p50 divided by BATCH.
 */
export async function runMicro({ fixtures, rounds = 3, cpuMs = 400, algorithms, include, log = () => {} } = {}) {
  fixtures ??= await loadFixtures()
  const cases = await buildCases(fixtures, { algorithms, include })
  const samples = cases.map(() => ({ p50: [], avg: [] }))
  // Untimed warm-up: JIT, key imports, the thread pool.
  for (const { run } of cases) {
    const until = performance.now() + Math.min(200, cpuMs)
    while (performance.now() < until) await run()
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const { run, isAsync } = cases[i]
      // Each measured call runs BATCH operations (awaiting each one when the API is async), so
      // mitata's own per-call overhead, larger for async functions, is amortised the same way
      // for every library; the per-operation figure includes the caller's `await`, a real cost.
      const batch = isAsync
        ? async () => {
            for (let k = 0; k < BATCH; k++) do_not_optimize(await run())
          }
        : () => {
            for (let k = 0; k < BATCH; k++) do_not_optimize(run())
          }
      const measured = await measure(batch, { min_cpu_time: cpuMs * 1e6, max_samples: 1e6 })
      const stats = { p50: measured.p50 / BATCH, avg: measured.avg / BATCH }
      samples[i].p50.push(stats.p50)
      samples[i].avg.push(stats.avg)
      log(`micro round ${round + 1}/${rounds}: ${cases[i].group} / ${cases[i].name}: ${formatNs(stats.p50)}`)
    }
  }
  return cases.map((c, i) => ({
    group: c.group,
    name: c.name,
    p50_ns: median(samples[i].p50),
    avg_ns: median(samples[i].avg),
    p50_runs: samples[i].p50,
  }))
}

/** Find one micro result's time (ns). */
export function microTime(results, group, name) {
  return results.find((r) => r.group === group && r.name === name)?.p50_ns
}

/** Paired ratio (median over rounds) of two cases' p50 times. */
export function timeRatio(results, group, a, b) {
  const runs = (name) => results.find((r) => r.group === group && r.name === name)?.p50_runs
  return pairedRatio(runs(a), runs(b))
}

/** The micro ratios of the targets (and a few more), each the median of per-round ratios. */
export function microRatios(results) {
  const out = {
    jwt_hs256_cold_vs_jose: timeRatio(results, 'JWT HS256', 'authspec cold (cache off)', 'jose jwtVerify (pre-imported key)'),
    jwt_warm_vs_fastjwt_cached: timeRatio(results, 'JWT HS256', 'authspec warm (cache on)', 'fast-jwt (cache)'),
    jwt_warm_claims_vs_fastjwt_cached: timeRatio(results, 'JWT HS256', 'authspec warm, claims callback (cache on)', 'fast-jwt (cache)'),
  }
  for (const [key, value] of Object.entries(out)) if (value === null) delete out[key]
  for (const alg of ['RS256', 'ES256', 'EdDSA']) {
    const cold = timeRatio(results, `JWT ${alg}`, 'authspec cold (cache off)', 'jose jwtVerify (pre-imported key)')
    if (cold !== null) out[`jwt_${alg.toLowerCase()}_cold_vs_jose`] = cold
  }
  return out
}

/** Markdown table of micro results, with each row relative to the group's first authspec row. */
export function microTable(results) {
  const rows = results.map((r) => {
    const vsJose = timeRatio(results, r.group, r.name, 'jose jwtVerify (pre-imported key)')
    return [
      r.group,
      r.name,
      formatNs(r.p50_ns),
      formatNs(r.avg_ns),
      `${Math.round(1e9 / r.p50_ns).toLocaleString('en-US')}`,
      vsJose === null ? '' : `${vsJose}×`,
    ]
  })
  return markdownTable(['group', 'case', 'time/op (p50)', 'time/op (avg)', 'ops/s (p50)', 'vs jose (paired)'], rows)
}

if (isMain(import.meta.url)) {
  const quick = process.argv.includes('--quick')
  const results = await runMicro({ rounds: quick ? 1 : 3, cpuMs: quick ? 150 : 400, log: (line) => console.error(line) })
  console.log(microTable(results))
  console.log(JSON.stringify(microRatios(results)))
}
