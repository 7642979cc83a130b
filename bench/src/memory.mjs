// Memory: many distinct tokens through ONE auth (JWT HS256, verified-token cache on, default
// size) must leave RSS bounded: failures are never cached and the cache evicts. Run with
// `node --expose-gc memory.mjs [--invalid N] [--valid N]`; prints one JSON line.
import { Buffer } from 'node:buffer'
import { createHmac } from 'node:crypto'
import { hasJwt, jwtAuth } from './authspec-auths.mjs'
import { AUDIENCE, ISSUER, loadFixtures } from './fixtures.mjs'
import { isMain } from './stats.mjs'

const MB = 1024 * 1024
const BATCH = 256

function b64url(text) {
  return Buffer.from(text).toString('base64url')
}

function settle() {
  if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc')
  for (let i = 0; i < 3; i++) globalThis.gc()
  const { rss, heapUsed } = process.memoryUsage()
  return { rss, heapUsed }
}

/** A light RequestLike: building a Request per token is not what is measured here. */
function requestWith(token) {
  const value = `Bearer ${token}`
  return { method: 'GET', url: '/pets', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? value : null) } }
}

/**
 * Authenticate `count` tokens made by `tokenAt(i)`, BATCH at a time; counts successes and, when
 * `checkpoints` is given, records RSS (MB, after gc) at each tenth of the way.
 */
async function drive(auth, prepared, count, tokenAt, checkpoints) {
  let ok = 0
  const step = Math.max(BATCH, Math.ceil(count / 10 / BATCH) * BATCH)
  for (let start = 0; start < count; start += BATCH) {
    if (checkpoints !== undefined && start > 0 && start % step === 0) checkpoints.push(Math.round((settle().rss / MB) * 10) / 10)
    const end = Math.min(count, start + BATCH)
    const pending = []
    for (let i = start; i < end; i++) pending.push(auth.authenticate(requestWith(tokenAt(i)), prepared))
    for (const result of await Promise.all(pending)) if (result.ok) ok++
  }
  return ok
}

export async function runMemory({ fixtures, invalid = 1_000_000, valid = 100_000 } = {}) {
  if (!hasJwt) return { skipped: 'this build of @authspec/core has no jwtBearer' }
  fixtures ??= await loadFixtures()
  const { auth, prepared } = jwtAuth(fixtures, 'HS256', { cache: true })
  const secret = fixtures.keys.HS256.secret
  const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
  const now = Math.floor(Date.now() / 1000)
  const payload = (i, kind) => b64url(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, sub: `${kind}-${i}`, jti: `${kind}-${i}`, iat: now, exp: now + 3600 }))
  // Invalid: well-formed, distinct, claims fine, but signed with another token's signature, so
  // each one reaches the signature check (the expensive failure) and none may be cached.
  const wrongSignature = fixtures.tokens.HS256.split('.')[2]
  const invalidAt = (i) => `${header}.${payload(i, 'bad')}.${wrongSignature}`
  const validAt = (i) => {
    const input = `${header}.${payload(i, 'good')}`
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
  }

  // Warm up code paths and the key import, then take the baseline.
  await drive(auth, prepared, 2000, invalidAt)
  await drive(auth, prepared, 2000, validAt)
  const base = settle()
  const started = performance.now()
  const invalidCheckpoints = []
  const invalidOk = await drive(auth, prepared, invalid, invalidAt, invalidCheckpoints)
  const afterInvalid = settle()
  const validCheckpoints = []
  const validOk = await drive(auth, prepared, valid, validAt, validCheckpoints)
  const afterValid = settle()
  const seconds = (performance.now() - started) / 1000
  if (invalidOk !== 0) throw new Error(`${invalidOk} invalid tokens were accepted`)
  if (validOk !== valid) throw new Error(`only ${validOk} of ${valid} valid tokens were accepted`)
  const mb = (bytes) => Math.round((bytes / MB) * 10) / 10
  return {
    invalid_tokens: invalid,
    valid_tokens: valid,
    rss_base_mb: mb(base.rss),
    rss_growth_after_invalid_mb: mb(afterInvalid.rss - base.rss),
    rss_growth_after_valid_mb: mb(afterValid.rss - base.rss),
    heap_growth_after_invalid_mb: mb(afterInvalid.heapUsed - base.heapUsed),
    heap_growth_after_valid_mb: mb(afterValid.heapUsed - base.heapUsed),
    rss_mb_during_invalid: invalidCheckpoints,
    rss_mb_during_valid: validCheckpoints,
    seconds: Math.round(seconds * 10) / 10,
  }
}

if (isMain(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name)
    return i === -1 ? fallback : Number(process.argv[i + 1])
  }
  console.log(JSON.stringify(await runMemory({ invalid: arg('--invalid', 1_000_000), valid: arg('--valid', 100_000) })))
}
