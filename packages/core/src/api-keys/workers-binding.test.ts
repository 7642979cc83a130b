import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { configError } from '../errors.js'
import { apiKey } from '../schemes/api-key.js'
import { lightRequest } from '../../test/support/requests.js'
import { durableObjectCounterStore, type DurableObjectNamespaceLike } from './durable-object-counters.js'
import { generateApiKey } from './generate.js'
import { kvKeyStore, type KvNamespaceLike } from './kv-store.js'
import { issueApiKey } from './manage.js'
import { memoryKeyStore } from './memory-store.js'

// A missing or misnamed Workers binding is a misconfiguration: a config error the operator sees
// (the framework's error path, a 500), never a 503 that reads as an outage, never a grant.

interface Env {
  API_KEYS?: KvNamespaceLike
  COUNTERS?: DurableObjectNamespaceLike
}

const key = generateApiKey({ prefix: 'pets' }).key
const send = (scheme: ReturnType<typeof apiKey>, env: unknown, sent = key) =>
  createAuth({ schemes: { Key: scheme } }).authenticate(lightRequest({ 'x-api-key': sent }), [{ Key: [] }], { env, client: '192.0.2.1' })
const kvScheme = (throttle = false) =>
  apiKey({ in: 'header', name: 'X-API-Key', prefix: 'pets', store: kvKeyStore({ namespace: (env: Env) => env.API_KEYS! }), ...(throttle ? {} : { throttle: false }) })

describe('Workers bindings of kvKeyStore and durableObjectCounterStore', () => {
  it('a misnamed KV binding rejects the request with ERR_AUTHSPEC_CONFIG naming the store and wrangler.toml, not a 503', async () => {
    for (const scheme of [kvScheme(), kvScheme(true)]) {
      const error = await send(scheme, { KEYS: {} }).then(
        (result) => result,
        (error: unknown) => error,
      )
      expect(error).toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_CONFIG', scheme: 'Key' })
      expect((error as Error).message).toContain('kvKeyStore: the namespace function returned undefined, not a KV namespace binding')
      expect((error as Error).message).toContain('[[kv_namespaces]] binding')
    }
  })

  it('no env at all (an adapter passing no bindings) says so; a namespace function that throws is a config error too', async () => {
    await expect(send(kvScheme(), undefined)).rejects.toThrow(/env is undefined: this adapter passed no bindings/)
    const throwing = apiKey({ in: 'header', name: 'X-API-Key', prefix: 'pets', throttle: false, store: kvKeyStore({ namespace: (env: { KV: { ns: KvNamespaceLike } }) => env.KV.ns }) })
    await expect(send(throwing, {})).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('the namespace function threw') })
  })

  it('a misnamed Durable Object binding for usage limits or throttling rejects with ERR_AUTHSPEC_CONFIG', async () => {
    const counters = durableObjectCounterStore({ namespace: (env: Env) => env.COUNTERS! })
    for (const extra of [{ limit: { requests: 3, window: 60, counters }, throttle: false as const }, { throttle: { failures: 3, window: 60, counters, client: () => '192.0.2.1' } }]) {
      const store = memoryKeyStore()
      const issued = await issueApiKey(store, { prefix: 'pets', principal: {} })
      const scheme = apiKey({ in: 'header', name: 'X-API-Key', prefix: 'pets', store, ...extra })
      await expect(send(scheme, { CONTERS: {} }, issued.key)).rejects.toMatchObject({
        code: 'ERR_AUTHSPEC_CONFIG',
        message: expect.stringContaining('durableObjectCounterStore: the namespace function returned undefined, not a Durable Object namespace binding'),
      })
    }
  })

  it('a binding given directly is checked when the store is created', () => {
    expect(() => kvKeyStore({ namespace: undefined as never })).toThrow(/^kvKeyStore: namespace must be a KV namespace binding or a function of env returning one, got undefined$/)
    expect(() => kvKeyStore({ namespace: {} as never })).toThrow(/got an object without the binding's methods/)
    expect(() => durableObjectCounterStore({ namespace: { get: () => ({}) } as never })).toThrow(/^durableObjectCounterStore: namespace must be a Durable Object namespace binding/)
    expect(() => durableObjectCounterStore(null as never)).toThrow(/options object required/)
  })

  it('a store that fails for any other reason is still an outage: 503, never a grant', async () => {
    const failing: KvNamespaceLike = { get: () => Promise.reject(new Error('KV down')), put: () => Promise.resolve(), delete: () => Promise.resolve() }
    const scheme = apiKey({ in: 'header', name: 'X-API-Key', prefix: 'pets', throttle: false, store: kvKeyStore({ namespace: failing }) })
    expect(await send(scheme, undefined)).toMatchObject({ ok: false, status: 503 })
  })

  it('a config error raised by a store\'s one-round-trip lookup (sync or async) is thrown on; another fault is a 503', async () => {
    const configFault = (): never => {
      throw configError('myStore: the binding is missing')
    }
    const cases: { lookup: () => unknown; expected: 'config' | 503 }[] = [
      { lookup: configFault, expected: 'config' },
      { lookup: () => Promise.reject(configError('myStore: the binding is missing')), expected: 'config' },
      { lookup: () => Promise.resolve().then(configFault), expected: 'config' },
      { lookup: () => { throw new Error('socket closed') }, expected: 503 },
      { lookup: () => Promise.reject(new Error('socket closed')), expected: 503 },
    ]
    for (const { lookup, expected } of cases) {
      const store = { get: () => undefined, lookup } as never
      const scheme = apiKey({ in: 'header', name: 'X-API-Key', prefix: 'pets', throttle: false, store })
      if (expected === 'config') await expect(send(scheme, {})).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('myStore: the binding is missing') })
      else expect(await send(scheme, {})).toMatchObject({ ok: false, status: 503 })
    }
  })
})
