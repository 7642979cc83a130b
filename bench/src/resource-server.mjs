// Resource-server costs (issue 14): the DPoP proof check on top of a bearer JWT, and RFC 7662
// introspection, a cache hit against one HTTP call per miss. Measured through
// `auth.authenticate(request, prepared)`, like micro.mjs, with mitata.
import { createServer } from 'node:http'
import { createAuth, httpBearer, jwtBearer } from '@authspec/core'
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'
import { do_not_optimize, measure } from 'mitata'
import { isMain, median } from './stats.mjs'

const RESOURCE = 'https://api.example.com/mcp'
const ISSUER = 'https://as.example.com'
const BATCH = 16

async function p50(run, cpuMs) {
  const until = performance.now() + 100
  while (performance.now() < until) do_not_optimize(await run())
  const measured = await measure(
    async () => {
      for (let k = 0; k < BATCH; k++) do_not_optimize(await run())
    },
    { min_cpu_time: cpuMs * 1e6, max_samples: 1e6 },
  )
  return measured.p50 / BATCH
}

function expectOk(name, result) {
  if (!result.ok) throw new Error(`${name} did not authenticate: ${JSON.stringify(result.problem)}`)
}

/**
 * DPoP: the same ES256 JWT scheme (verified-token cache on), once with an unbound token sent as
 * Bearer, once with a DPoP-bound token and a proof. One proof is reused across iterations, so
 * the replay store is a stub that accepts every id (a fresh proof per request is the client's
 * cost, not the server's); the bounded MemoryReplayStore's own cost is measured separately.
 */
async function dpopCase(cpuMs, rounds) {
  const as = await generateKeyPair('ES256')
  const clientKeys = await generateKeyPair('ES256')
  const jwk = await exportJWK(clientKeys.publicKey)
  const jkt = await calculateJwkThumbprint(jwk)
  const sign = (claims) => new SignJWT({ scope: 'mcp', ...claims }).setProtectedHeader({ alg: 'ES256' }).setIssuer(ISSUER).setAudience(RESOURCE).setExpirationTime('10m').sign(as.privateKey)
  const bearerToken = await sign({})
  const boundToken = await sign({ cnf: { jkt } })
  const ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(boundToken))))
  const proof = await new SignJWT({ htm: 'POST', htu: RESOURCE, iat: Math.floor(Date.now() / 1000), jti: 'bench', ath })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk })
    .sign(clientKeys.privateKey)
  const auth = createAuth({
    resource: RESOURCE,
    schemes: { Jwt: jwtBearer({ algorithms: ['ES256'], publicKey: await exportJWK(as.publicKey), issuer: ISSUER, dpop: { mode: 'allowed', replayStore: { use: () => true }, maxAge: 300 } }) },
  })
  const prepared = auth.prepare([{ Jwt: ['mcp'] }])
  const bearer = new Request(RESOURCE, { method: 'POST', headers: { authorization: `Bearer ${bearerToken}` } })
  const dpop = new Request(RESOURCE, { method: 'POST', headers: { authorization: `DPoP ${boundToken}`, dpop: proof } })
  expectOk('bearer', await auth.authenticate(bearer, prepared))
  expectOk('dpop', await auth.authenticate(dpop, prepared))
  const { MemoryReplayStore } = await import('@authspec/core/resource-server')
  const store = new MemoryReplayStore()
  let n = 0
  const proofKey = await importJWK(jwk, 'ES256')
  // Interleaved rounds, medians: on a shared machine one round alone is noise.
  const jose = []
  const bearers = []
  const dpops = []
  for (let round = 0; round < rounds; round++) {
    // The floor of any proof check: one ES256 signature verification with jose, key pre-imported.
    jose.push(await p50(() => jwtVerify(proof, proofKey, { typ: 'dpop+jwt', algorithms: ['ES256'] }), cpuMs))
    bearers.push(await p50(() => auth.authenticate(bearer, prepared), cpuMs))
    dpops.push(await p50(() => auth.authenticate(dpop, prepared), cpuMs))
  }
  const [joseNs, bearerNs, dpopNs] = [median(jose), median(bearers), median(dpops)]
  // Ids that expire at once: the store sweeps them when full, as it would at a steady request rate.
  const replayNs = await p50(() => store.use(`id-${n++}`, Date.now() + 1), cpuMs)
  return { bearerNs, dpopNs, replayNs, joseNs }
}

/** Introspection against a local endpoint: hits served from the cache, misses counted in calls. */
async function introspectionCase(cpuMs, rounds) {
  let calls = 0
  const server = createServer((req, res) => {
    calls++
    req.resume()
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ active: true, iss: ISSUER, aud: RESOURCE, scope: 'mcp', exp: Math.floor(Date.now() / 1000) + 600 })))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${server.address().port}/introspect`
  const auth = createAuth({
    resource: RESOURCE,
    schemes: { Opaque: httpBearer({ introspection: { endpoint, issuer: ISSUER, client: { clientId: 'rs', clientSecret: 'secret' }, cache: { max: 10_000, maxTtl: 600 } } }) },
  })
  const prepared = auth.prepare([{ Opaque: ['mcp'] }])
  const hit = new Request(RESOURCE, { headers: { authorization: 'Bearer hot-token' } })
  expectOk('introspection', await auth.authenticate(hit, prepared))
  const hits = []
  for (let round = 0; round < rounds; round++) hits.push(await p50(() => auth.authenticate(hit, prepared), cpuMs))
  const hitNs = median(hits)
  const misses = 200
  const before = calls
  const times = []
  for (let i = 0; i < misses; i++) {
    const request = new Request(RESOURCE, { headers: { authorization: `Bearer cold-${i}` } })
    const start = performance.now()
    expectOk('miss', await auth.authenticate(request, prepared))
    times.push(performance.now() - start)
  }
  const callsPerMiss = (calls - before) / misses
  await new Promise((resolve) => server.close(resolve))
  return { hitNs, callsPerMiss, missMs: median(times) }
}

/** The resource-server figures, as `bench:quick` keys. */
export async function runResourceServer({ cpuMs = 150, rounds = 3 } = {}) {
  const dpop = await dpopCase(cpuMs, rounds)
  const introspection = await introspectionCase(cpuMs, rounds)
  return {
    jwt_es256_bearer_warm_ns: Math.round(dpop.bearerNs),
    jwt_es256_dpop_ns: Math.round(dpop.dpopNs),
    dpop_proof_extra_ns: Math.round(dpop.dpopNs - dpop.bearerNs),
    jose_es256_proof_verify_ns: Math.round(dpop.joseNs),
    dpop_extra_vs_jose_verify: Math.round(((dpop.dpopNs - dpop.bearerNs) / dpop.joseNs) * 100) / 100,
    dpop_memory_replay_use_ns: Math.round(dpop.replayNs),
    introspection_hit_ns: Math.round(introspection.hitNs),
    introspection_hit_target_met: introspection.hitNs <= 2000,
    introspection_hit_vs_jwt_warm: Math.round((introspection.hitNs / dpop.bearerNs) * 100) / 100,
    introspection_calls_per_miss: introspection.callsPerMiss,
    introspection_miss_ms: Math.round(introspection.missMs * 100) / 100,
  }
}

if (isMain(import.meta.url)) console.log(JSON.stringify(await runResourceServer({ cpuMs: 300, rounds: 5 })))
