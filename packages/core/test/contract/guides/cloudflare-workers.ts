import { startTestIssuer, type TestIssuer } from '@authspec/core/testing'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'
import { kvServer, startWorkerd, type KvServer, type RunningWorkerd } from '../../../../hono/test/support/workerd.js'

interface WorkerModule {
  default: { fetch(request: Request, env: unknown, ctx: unknown): Promise<Response> }
  appFor(env: unknown): unknown
}

/** A KV namespace on Node: get(key, 'json') and put(key, value, { expirationTtl }) over a Map. */
class MapKV {
  readonly entries = new Map<string, { value: string; expirationTtl: number | undefined }>()
  reads = 0
  get(key: string, type: 'json'): Promise<unknown> {
    this.reads++
    const entry = this.entries.get(key)
    return Promise.resolve(entry === undefined ? null : type === 'json' ? JSON.parse(entry.value) : entry.value)
  }
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<void> {
    this.entries.set(key, { value, expirationTtl: options?.expirationTtl })
    return Promise.resolve()
  }
}

export const harness: GuideHarness = {
  blocks: { 'The worker': {} },
  behaviour(load, fileOf) {
    let issuer: TestIssuer
    const kv = new MapKV()
    const envOf = () => ({ API_KEY: 'key-0123456789', JWKS_URL: issuer.jwksUri, JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: 'pets-api', JWKS_CACHE: kv })
    beforeAll(async () => {
      issuer = await startTestIssuer()
    })
    afterAll(() => issuer?.close())

    it('the worker answers from env bindings: key → alternative 1, no credentials → 401, the app is built once per env', async () => {
      const worker = await load<WorkerModule>('The worker')
      const env = envOf()
      const byKey = await worker.default.fetch(new Request('https://api.test/pets', { headers: { 'x-api-key': 'key-0123456789' } }), env, {})
      expect(byKey.status).toBe(200)
      expect(await byKey.json()).toEqual({ via: 'key ci' })
      const none = await worker.default.fetch(new Request('https://api.test/pets'), env, {})
      expect(none.status).toBe(401)
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="api", APIKey realm="api", in="header", name="X-API-Key"')
      expect((await worker.default.fetch(new Request('https://api.test/health'), env, {})).status).toBe(200)
      expect(worker.appFor(env)).toBe(worker.appFor(env))
      expect(worker.appFor(envOf())).not.toBe(worker.appFor(env))
    })

    it('the first JWT fetches the JWKS and stores it in KV; a new isolate (new env, same KV) verifies without fetching', async () => {
      const worker = await load<WorkerModule>('The worker')
      const token = await issuer.sign({ aud: 'pets-api', sub: 'user-1', scope: 'pets:read' })
      const request = () => new Request('https://api.test/pets', { headers: { authorization: `Bearer ${token}` } })
      const first = await worker.default.fetch(request(), envOf(), {})
      expect(first.status).toBe(200)
      expect(await first.json()).toEqual({ via: 'token of user-1' })
      const fetched = issuer.requests['/.well-known/jwks.json']
      expect(fetched).toBe(1)
      const stored = kv.entries.get(issuer.jwksUri)
      expect(stored?.expirationTtl).toBe(600)
      expect((JSON.parse(stored!.value) as { keys: unknown[] }).keys).toHaveLength(1)

      const readsBefore = kv.reads
      const again = await worker.default.fetch(request(), envOf(), {})
      expect(again.status).toBe(200)
      expect(kv.reads).toBe(readsBefore + 1)
      expect(issuer.requests['/.well-known/jwks.json']).toBe(fetched)
    })

    it('workerd with a real KV binding: the first isolate fetches the JWKS into KV, a restarted one verifies from KV alone', async () => {
      const kvBackend: KvServer = await kvServer()
      const bindings = { API_KEY: 'key-0123456789', JWKS_URL: issuer.jwksUri, JWT_ISSUER: issuer.issuer, JWT_AUDIENCE: 'pets-api' }
      let workerd: RunningWorkerd | undefined
      try {
        workerd = await startWorkerd({ entry: fileOf('The worker'), bindings, kvNamespaces: { JWKS_CACHE: kvBackend.port } })
        expect((await fetch(`${workerd.url}/pets`)).status).toBe(401)
        const byKey = await fetch(`${workerd.url}/pets`, { headers: { 'x-api-key': 'key-0123456789' } })
        expect(await byKey.json()).toEqual({ via: 'key ci' })
        const token = await issuer.sign({ aud: 'pets-api', sub: 'user-3', scope: 'pets:read' })
        const before = issuer.requests['/.well-known/jwks.json'] ?? 0
        const first = await fetch(`${workerd.url}/pets`, { headers: { authorization: `Bearer ${token}` } })
        expect(await first.json()).toEqual({ via: 'token of user-3' })
        expect(issuer.requests['/.well-known/jwks.json']).toBe(before + 1)
        expect(kvBackend.puts).toEqual([{ key: issuer.jwksUri, expirationTtl: '600' }])

        await workerd.close()
        workerd = await startWorkerd({ entry: fileOf('The worker'), bindings, kvNamespaces: { JWKS_CACHE: kvBackend.port } })
        const again = await fetch(`${workerd.url}/pets`, { headers: { authorization: `Bearer ${token}` } })
        expect(await again.json()).toEqual({ via: 'token of user-3' })
        expect(issuer.requests['/.well-known/jwks.json']).toBe(before + 1)
        expect(kvBackend.gets).toContain(issuer.jwksUri)
      } finally {
        await workerd?.close()
        await kvBackend.close()
      }
    }, 90_000)

    it('a token without pets:read and no key → 403 insufficient_scope', async () => {
      const worker = await load<WorkerModule>('The worker')
      const token = await issuer.sign({ aud: 'pets-api', sub: 'user-1', scope: 'other' })
      const response = await worker.default.fetch(new Request('https://api.test/pets', { headers: { authorization: `Bearer ${token}` } }), envOf(), {})
      expect(response.status).toBe(403)
    })
  },
}
