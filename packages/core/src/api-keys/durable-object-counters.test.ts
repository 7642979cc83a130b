import { describe, expect, it } from 'vitest'
import { AuthspecCounters, type DurableObjectStateLike } from './durable-object-counters.js'

/**
 * The object's own logic over a storage that keeps entries in a Map. (The workerd behaviour,
 * shared counters across Workers, is tested in miniflare: packages/hono/test/workers-kv.test.ts.)
 */
function object() {
  const entries = new Map<string, unknown>()
  const storage: DurableObjectStateLike['storage'] = {
    get: async <T>(keys: string[]) => new Map(keys.filter((k) => entries.has(k)).map((k) => [k, structuredClone(entries.get(k)) as T])),
    put: async (record) => void Object.entries(record).forEach(([k, v]) => entries.set(k, structuredClone(v))),
    delete: async (keys) => keys.filter((k) => entries.delete(k)).length,
  }
  const counters = new AuthspecCounters({ storage })
  const call = async (op: string, now: number, window = 1000) =>
    (await (await counters.fetch(new Request('https://x/', { method: 'POST', body: JSON.stringify({ op, key: 'k', window, now }) }))).json()) as { current: number; previous: number }
  return { entries, call }
}

describe('AuthspecCounters (the Durable Object)', () => {
  it('over 1,000 windows of hits its storage holds one entry', async () => {
    const { entries, call } = object()
    for (let w = 0; w < 1000; w++) await call('hit', w * 1000 + (w % 7) * 3)
    expect(entries.size).toBe(1)
    expect(await call('peek', 1000 * 1000)).toEqual({ current: 0, previous: 1 })
    expect(await call('peek', 5000 * 1000)).toEqual({ current: 0, previous: 0 })
  })

  it('release takes back one hit of the current window, never below zero, never the previous window', async () => {
    const { call } = object()
    await call('hit', 10)
    await call('hit', 20)
    expect(await call('release', 30)).toEqual({ current: 1, previous: 0 })
    expect(await call('release', 1500)).toEqual({ current: 0, previous: 1 })
    expect(await call('release', 1600)).toEqual({ current: 0, previous: 1 })
  })
})
