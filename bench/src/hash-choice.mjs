// Issue #20's hashing decision, measured in one process: what a stored-key request costs end to
// end on Hono (app.fetch, no socket, throttling on), and what hashing its 40-character key costs
// with this project's SHA-256, @noble/hashes and node:crypto. The hand-written code stays only if
// @noble/hashes would add more than 5% to the request.
//   node bench/src/hash-choice.mjs
import { createHash } from 'node:crypto'
import { createAuth, apiKey } from '@authspec/core'
import { hashApiKey, issueApiKey, memoryKeyStore } from '@authspec/core/api-keys'
import { requireAuth } from '@authspec/hono'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { Hono } from 'hono'

const ROUNDS = Number(process.env.HASH_ROUNDS ?? 21)
const N = 20_000

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

/** ns per call of `fn`, `N` calls per round; rounds of every case interleaved. */
async function measure(cases) {
  const out = Object.fromEntries(Object.keys(cases).map((name) => [name, []]))
  for (let round = -3; round < ROUNDS; round++) {
    for (const [name, fn] of Object.entries(cases)) {
      const start = process.hrtime.bigint()
      for (let i = 0; i < N; i++) await fn(i)
      const ns = Number(process.hrtime.bigint() - start) / N
      if (round >= 0) out[name].push(ns)
    }
  }
  return Object.fromEntries(Object.entries(out).map(([name, values]) => [name, median(values)]))
}

const store = memoryKeyStore()
const { key } = await issueApiKey(store, { prefix: 'pets', principal: { team: 'a' } })
const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets' }) } })
const app = new Hono().get('/pets', requireAuth(auth, [{ Key: [] }]), (c) => c.text('ok'))
const request = () => new Request('http://localhost/pets', { headers: { 'x-api-key': key } })
const first = await app.fetch(request(), { incoming: { socket: { remoteAddress: '192.0.2.1' } } })
if (first.status !== 200) throw new Error(`bench request answered ${first.status}`)
const env = { incoming: { socket: { remoteAddress: '192.0.2.1' } } }
// Keys differ per call (as on a server), so no engine shortcut sees the same string twice in a row.
const keys = Array.from({ length: 64 }, (_, i) => key.slice(0, -2) + String(i).padStart(2, '0'))

const results = await measure({
  request: async () => {
    const res = await app.fetch(request(), env)
    await res.text()
  },
  ours: (i) => hashApiKey(keys[i & 63]),
  noble: (i) => bytesToHex(sha256(utf8ToBytes(keys[i & 63]))),
  nodeCrypto: (i) => createHash('sha256').update(keys[i & 63]).digest('hex'),
})
const extra = (results.noble - results.ours) / results.request
console.log(JSON.stringify({
  hono_stored_key_request_ns: Math.round(results.request),
  hash_ours_ns: Math.round(results.ours),
  hash_noble_ns: Math.round(results.noble),
  hash_node_crypto_ns: Math.round(results.nodeCrypto),
  noble_extra_share_of_request: Number(extra.toFixed(3)),
  verdict: extra > 0.05 ? 'keep the hand-written SHA-256 (noble adds more than 5%)' : 'use @noble/hashes (it adds at most 5%)',
}))
