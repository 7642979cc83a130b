import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateApiKey } from '@authspec/core/api-keys'
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT } from 'jose'
import { Miniflare } from 'miniflare'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bundleWorker } from './support/workerd.js'

const HERE = dirname(fileURLToPath(import.meta.url))
let dir: string
let mf: Miniflare

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'authspec-kv-'))
  const bundle = async (fixture: string): Promise<string> => {
    const outfile = join(dir, `${fixture}.js`)
    await bundleWorker(join(HERE, 'fixtures', `${fixture}.ts`), outfile)
    return readFile(outfile, 'utf8')
  }
  const [kv, durable] = [await bundle('kv-worker'), await bundle('do-worker')]
  // Two Workers (two isolates, as two deployments would be) bound to one KV namespace…
  const worker = (name: string, script: string, extra: object = {}) => ({ name, modules: true, script, compatibilityDate: '2025-09-01', kvNamespaces: { KEYS: 'authspec-keys' }, ...extra })
  mf = new Miniflare({
    workers: [
      worker('a', kv),
      worker('b', kv),
      // …and two sharing one Durable Object class (defined by "c") for their counters.
      worker('c', durable, { durableObjects: { COUNTERS: 'AuthspecCounters' } }),
      worker('d', durable, { durableObjects: { COUNTERS: { className: 'AuthspecCounters', scriptName: 'c' } } }),
    ],
    kvPersist: false,
    durableObjectsPersist: false,
    host: '127.0.0.1',
  })
  await mf.ready
}, 60_000)

afterAll(async () => {
  await mf?.dispose()
  if (dir !== undefined) await rm(dir, { recursive: true, force: true })
})

async function call(name: 'a' | 'b' | 'c' | 'd', path: string, init: { method?: string; key?: string; ip?: string | null; basic?: string } = {}) {
  const worker = (await mf.getWorker(name)) as unknown as { fetch(url: string, init: RequestInit): Promise<Response> }
  const headers: Record<string, string> = init.ip === null ? {} : { 'cf-connecting-ip': init.ip ?? '192.0.2.1' }
  if (init.key !== undefined) headers['x-api-key'] = init.key
  if (init.basic !== undefined) headers.authorization = `Basic ${Buffer.from(init.basic).toString('base64')}`
  const res = await worker.fetch(`http://localhost${path}`, { method: init.method ?? 'GET', headers })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> }
}

describe('kvKeyStore in workerd (miniflare, a real KV binding)', () => {
  it('a key issued into KV by one Worker authenticates on another; revocation through one is refused by the other', async () => {
    const issued = await call('a', '/issue', { method: 'POST' })
    const { key, hash } = issued.body as { key: string; hash: string }
    expect(key).toMatch(/^pets_[0-9A-Za-z]{36}$/)
    const ok = await call('b', '/pets', { key })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ team: 'kv' })
    expect((await call('b', `/revoke/${encodeURIComponent(hash)}`, { method: 'POST' })).body).toEqual({ revoked: true })
    const refused = await call('a', '/pets', { key })
    expect(refused.status).toBe(401)
    expect(refused.body.code).toBe('invalid_token')
  })

  it('a misnamed KV binding is a config error on the framework\'s error path (500 ERR_AUTHSPEC_CONFIG), not a 503 outage', async () => {
    const { key } = (await call('a', '/issue', { method: 'POST' })).body as { key: string }
    const { status, body } = await call('a', '/misnamed', { key })
    expect(status).toBe(500)
    expect(body.code).toBe('ERR_AUTHSPEC_CONFIG')
    expect(body.message).toContain('kvKeyStore: the namespace function returned undefined, not a KV namespace binding')
  })

  it('a broken checksum is refused (401); repeated failures from one address get 429 in that isolate', async () => {
    const { key } = (await call('a', '/issue', { method: 'POST' })).body as { key: string }
    const broken = `${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`
    expect((await call('a', '/pets', { key: broken })).status).toBe(401)
    for (let i = 0; i < 3; i++) {
      const unknown = (await call('a', '/issue', { method: 'POST' })).body as { hash: string; key: string }
      await call('a', `/revoke/${encodeURIComponent(unknown.hash)}`, { method: 'POST' })
      expect((await call('a', '/pets', { key: unknown.key, ip: '198.51.100.4' })).status).toBe(401)
    }
    const throttled = await call('a', '/pets', { key, ip: '198.51.100.4' })
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await call('a', '/pets', { key, ip: '198.51.100.5' })).status).toBe(200)
  })
})

describe('durableObjectCounterStore in workerd (miniflare, real Durable Objects)', () => {
  it('a usage limit is shared by two Workers: 3 requests through either, then 429 on both', async () => {
    const { key } = (await call('c', '/issue', { method: 'POST' })).body as { key: string }
    const seen = [await call('c', '/pets', { key }), await call('d', '/pets', { key }), await call('c', '/pets', { key })].map((r) => r.status)
    expect(seen).toEqual([200, 200, 200])
    const limited = await call('d', '/pets', { key })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('ratelimit-policy')).toBe('"usage";q=3;w=60')
    expect((await call('c', '/pets', { key })).status).toBe(429)
  })

  it('failed-auth throttling is shared by two Workers; another client is unaffected', async () => {
    const { key } = (await call('c', '/issue', { method: 'POST' })).body as { key: string }
    // A well-formed key (right checksum) that was never issued: it reaches the store and fails.
    const forged = generateApiKey({ prefix: 'pets' }).key
    expect((await call('c', '/pets', { key: forged, ip: '198.51.100.77' })).status).toBe(401)
    expect((await call('d', '/pets', { key: forged, ip: '198.51.100.77' })).status).toBe(401)
    expect((await call('c', '/pets', { key, ip: '198.51.100.77' })).status).toBe(429)
    expect((await call('d', '/pets', { key, ip: '198.51.100.78' })).status).toBe(200)
  })

  const checks = async () => ((await call('c', '/checks')).body.checks as number) + ((await call('d', '/checks')).body.checks as number)

  it('200 parallel bad passwords through two Workers at throttled(httpBasic, failures 5) with a 20 ms verify → at most 5 checks', async () => {
    const before = await checks()
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => call(i % 2 === 0 ? 'c' : 'd', '/basic', { basic: `alice:guess${i}`, ip: '203.0.113.9' })),
    )
    const ran = (await checks()) - before
    expect(ran).toBeGreaterThan(0)
    expect(ran).toBeLessThanOrEqual(5)
    expect(answers.filter((a) => a.status === 429).length).toBeGreaterThanOrEqual(195)
    expect(answers.some((a) => a.status === 200)).toBe(false)
    expect((await call('c', '/basic', { basic: 'alice:right', ip: '203.0.113.10' })).status).toBe(200)
  })

  it('no client address in workerd: requests share one bucket, still throttled (30 bad passwords → at most 5 checks, the rest 429)', async () => {
    const before = await checks()
    const seen: number[] = []
    for (let i = 0; i < 30; i++) seen.push((await call(i % 2 === 0 ? 'c' : 'd', '/basic-no-address', { basic: `bob${i}:wrong`, ip: null })).status)
    expect((await checks()) - before).toBe(5)
    expect(seen.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(seen.slice(5).every((s) => s === 429)).toBe(true)
  })

  it('DPoP: one proof sent 200 times in parallel through two Workers is accepted once (durableObjectReplayStore); a new proof passes', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256')
    const jwk = await exportJWK(publicKey)
    const jkt = await calculateJwkThumbprint(jwk)
    const token = await new SignJWT({ sub: 'agent', cnf: { jkt } })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('https://as.test')
      .setAudience('http://localhost/mcp')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('workers-dpop-test-secret-0123456789abcdef'))
    const ath = base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))
    const proof = () =>
      new SignJWT({ htm: 'POST', htu: 'http://localhost/mcp', iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ath })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk } as never)
        .sign(privateKey)
    const send = async (name: 'c' | 'd', dpop: string) => {
      const worker = (await mf.getWorker(name)) as unknown as { fetch(url: string, init: RequestInit): Promise<Response> }
      const res = await worker.fetch('http://localhost/mcp', { method: 'POST', headers: { authorization: `DPoP ${token}`, dpop } })
      await res.arrayBuffer()
      return res.status
    }
    const once = await proof()
    const seen = await Promise.all(Array.from({ length: 200 }, (_, i) => send(i % 2 === 0 ? 'c' : 'd', once)))
    expect(seen.filter((s) => s === 200)).toHaveLength(1)
    expect(seen.filter((s) => s === 401)).toHaveLength(199)
    expect(await send('d', await proof())).toBe(200)
  })
})
