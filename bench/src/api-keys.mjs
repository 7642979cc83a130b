// API keys with stores (issue 13): run with `node --expose-gc src/api-keys.mjs [--keys N] [--bad N]
// [--redis N]`; prints ONE JSON line. Measures, through `auth.authenticate` on a light request:
// - a stored (hashed) key in the in-memory store vs a static key (target ≤ 2×), with 1,000 other
//   clients' failure counters in the store; and (`apikey_stored_unremembered_vs_static`) 2,048
//   stored keys taken in turn, more than a scheme remembers (1,024), so each is checksummed and
//   hashed again: the cost of a key's first request;
// - the same with 1 key and with N keys (default 1,000,000) in the store (lookup is by hash);
// - heap after N distinct bad keys (default 1,000,000, valid checksums so each reaches the
//   store, from N distinct client addresses so each adds a failure counter) with the
//   in-memory throttle evicting;
// - Redis on loopback (a real redis-server, see packages/redis/test/support): p50/p99 of one
//   request with a usage limit and throttling, the round trips per request (commands the
//   client sent) and the server's client connections before and after (CLIENT LIST).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { apiKey, createAuth } from '@authspec/core'
import { generateApiKey, hashApiKey, memoryKeyStore } from '@authspec/core/api-keys'
import { redisKeyStore } from '@authspec/redis'
import { Redis } from 'ioredis'
import { startRedis } from '../../packages/redis/test/support/redis-server.mjs'
import { isMain, median, pairedRatio } from './stats.mjs'
import { lightRequest } from './light-request.mjs'

const MB = 1024 * 1024
const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : Number(process.argv[at + 1])
}

function settle() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 3; i++) globalThis.gc()
  return process.memoryUsage().heapUsed
}

/** ns per authenticate, `iterations` awaited one after another (`request` or requests in turn). */
async function time(auth, request, iterations) {
  const options = { client: '192.0.2.1' }
  const requests = Array.isArray(request) ? request : [request]
  const started = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) {
    const result = await auth.authenticate(requests[i % requests.length], undefined, options)
    if (!result.ok) throw new Error(`bench case did not authenticate: ${result.problem.detail}`)
  }
  return Number(process.hrtime.bigint() - started) / iterations
}

function storedAuth(store, extra = {}) {
  return createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets', ...extra }) }, security: [{ Key: [] }] })
}

/** Fill a memory store with `count` records (hashes of synthetic keys: the store only sees hashes). */
function fill(store, count) {
  for (let i = 0; i < count; i++) store.set(hashApiKey(`pets_filler${i}`), { id: `f${i}`, principal: { i } })
}

/** Per-request cost with 1 key and with `keys` keys in the memory store, paired per round. */
async function manyKeys(keys, hash, id, request, smallAuth, rounds, iterations) {
  const big = memoryKeyStore({ maxKeys: keys + 10 })
  big.set(hash, { id, principal: { team: 'ci' } })
  const heapBeforeFill = settle()
  fill(big, keys)
  const storeMb = (settle() - heapBeforeFill) / MB
  const bigAuth = storedAuth(big)
  const one = []
  const many = []
  await time(bigAuth, request, iterations)
  for (let r = 0; r < rounds; r++) {
    one.push(await time(smallAuth, request, iterations))
    many.push(await time(bigAuth, request, iterations))
  }
  return { storeMb, one, many }
}

export async function runApiKeys({ keys = 1_000_000, bad = 1_000_000, redisRequests = 5000, rounds = 41, iterations = 2_000 } = {}) {
  const { key, hash, id } = generateApiKey({ prefix: 'pets' })
  const staticAuth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: key } }) }, security: [{ Key: [] }] })
  const small = memoryKeyStore({ maxKeys: keys + 10 })
  small.set(hash, { id, principal: { team: 'ci' } })
  const smallAuth = storedAuth(small)
  const smallNoThrottle = storedAuth(small, { throttle: false })
  const request = lightRequest(key)
  const turnStore = memoryKeyStore({ maxKeys: 4096 })
  const rotating = Array.from({ length: 2048 }, () => {
    const other = generateApiKey({ prefix: 'pets' })
    turnStore.set(other.hash, { id: other.id, principal: { team: 'ci' } })
    return lightRequest(other.key)
  })
  const manyAuth = storedAuth(turnStore)
  // As on a live server, other clients have failed before: 1,000 of them hold failure counters,
  // so the throttle's read is a real lookup, not the shortcut of an empty counter store.
  for (let i = 0; i < 1000; i++) {
    const result = await smallAuth.authenticate(lightRequest(generateApiKey({ prefix: 'pets' }).key), undefined, { client: `198.51.100.${i % 250}:${i}` })
    if (result.ok) throw new Error('a random key authenticated')
  }
  if (small.size < 1000) throw new Error(`expected 1,000 failure counters, the store holds ${small.size}`)

  // Static vs stored, paired per round.
  // The stored cases run with a client address, so the throttle reads its failure counter.
  const runs = { static: [], stored: [], storedNoThrottle: [], unremembered: [] }
  await time(staticAuth, request, iterations)
  await time(smallAuth, request, iterations)
  await time(smallNoThrottle, request, iterations)
  await time(manyAuth, rotating, iterations)
  for (let r = 0; r < rounds; r++) {
    runs.static.push(await time(staticAuth, request, iterations))
    runs.stored.push(await time(smallAuth, request, iterations))
    runs.storedNoThrottle.push(await time(smallNoThrottle, request, iterations))
    runs.unremembered.push(await time(manyAuth, rotating, iterations))
  }

  // 1 key vs `keys` keys (in a function, so that the big store is garbage before the next part).
  const { storeMb, one, many } = await manyKeys(keys, hash, id, request, smallAuth, rounds, iterations)
  const manyNs = Math.round(median(many))

  // Heap under `bad` distinct bad keys (valid checksum, unknown): failure counters evict.
  const throttleStore = memoryKeyStore({ maxCounters: 100_000 })
  const badAuth = storedAuth(throttleStore, { throttle: { failures: 1_000_000_000, window: 60 } })
  const heapBefore = settle()
  const checkpoints = []
  const step = Math.ceil(bad / 5)
  for (let i = 0; i < bad; i++) {
    const result = await badAuth.authenticate(lightRequest(generateApiKey({ prefix: 'pets' }).key), undefined, { client: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` })
    if (result.ok) throw new Error('a random key authenticated')
    if ((i + 1) % step === 0) checkpoints.push(Math.round(((settle() - heapBefore) / MB) * 10) / 10)
  }

  const redis = redisRequests > 0 ? await runRedis(redisRequests) : { skipped: true }
  return {
    apikey_stored_vs_static: pairedRatio(runs.stored, runs.static),
    apikey_stored_no_throttle_vs_static: pairedRatio(runs.storedNoThrottle, runs.static),
    apikey_stored_unremembered_vs_static: pairedRatio(runs.unremembered, runs.static),
    apikey_static_ns: Math.round(median(runs.static)),
    apikey_stored_ns: Math.round(median(runs.stored)),
    apikey_store_keys: keys + 1,
    apikey_store_fill_heap_mb: Math.round(storeMb),
    apikey_many_vs_one_key: pairedRatio(many, one),
    apikey_many_keys_ns: manyNs,
    apikey_bad_keys: bad,
    apikey_bad_heap_growth_mb: checkpoints,
    apikey_bad_counters_held: throttleStore.size,
    ...redis,
  }
}

async function runRedis(count) {
  const server = await startRedis()
  const client = new Redis(server.port, '127.0.0.1', { enableOfflineQueue: false, commandTimeout: 1000, lazyConnect: true })
  const admin = new Redis(server.port, '127.0.0.1', { lazyConnect: true })
  try {
    await Promise.all([client.connect(), admin.connect()])
    const store = redisKeyStore({ client })
    const auth = storedAuth(store, { limit: { requests: 10_000_000, window: 60 }, throttle: { failures: 10, window: 300 } })
    const { key, hash, id } = generateApiKey({ prefix: 'pets' })
    await store.set(hash, { id, principal: { team: 'bench' } })
    const request = lightRequest(key)
    for (let i = 0; i < 500; i++) await auth.authenticate(request, undefined, { client: '192.0.2.1' })
    const connectionsBefore = (await admin.client('LIST')).trim().split('\n').length
    let sent = 0
    const original = client.sendCommand.bind(client)
    client.sendCommand = (command, stream) => (sent++, original(command, stream))
    const latencies = new Float64Array(count)
    for (let i = 0; i < count; i++) {
      const started = process.hrtime.bigint()
      const result = await auth.authenticate(request, undefined, { client: '192.0.2.1' })
      latencies[i] = Number(process.hrtime.bigint() - started) / 1000
      if (!result.ok) throw new Error(`redis bench did not authenticate: ${result.problem.detail}`)
    }
    client.sendCommand = original
    const connectionsAfter = (await admin.client('LIST')).trim().split('\n').length
    latencies.sort()
    const at = (q) => Math.round(latencies[Math.min(count - 1, Math.floor(q * count))] * 10) / 10
    return {
      redis_requests: count,
      redis_p50_us: at(0.5),
      redis_p99_us: at(0.99),
      redis_round_trips_per_request: sent / count,
      redis_connections_before: connectionsBefore,
      redis_connections_after: connectionsAfter,
    }
  } finally {
    client.disconnect()
    admin.disconnect()
    await server.close()
  }
}

/** Run this file in a child process (it needs --expose-gc) and parse its JSON line. */
export function spawnApiKeys(args) {
  const run = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (run.status !== 0) throw new Error(`api-keys benchmark failed: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').pop())
}

if (isMain(import.meta.url)) {
  const result = await runApiKeys({ keys: arg('keys', 1_000_000), bad: arg('bad', 1_000_000), redisRequests: arg('redis', 5000) })
  console.log(JSON.stringify(result))
}
