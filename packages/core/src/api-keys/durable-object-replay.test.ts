import { describe, expect, it } from 'vitest'
import { AuthspecCounters } from './durable-object-counters.js'
import { durableObjectReplayStore, type ReplayStorageLike } from './durable-object-replay.js'

/**
 * The replay object's own logic over a Map-backed storage with an alarm slot. (Shared across
 * Workers, 200 parallel uses of one proof, it is tested in miniflare: packages/hono/test/workers-kv.test.ts.)
 */
function object() {
  const entries = new Map<string, unknown>()
  let alarm: number | null = null
  const storage: ReplayStorageLike = {
    get: async <T>(keys: string[]) => new Map(keys.filter((k) => entries.has(k)).map((k) => [k, entries.get(k) as T])),
    put: async (record) => void Object.entries(record).forEach(([k, v]) => entries.set(k, v)),
    delete: async (keys) => {
      if (keys.length > 128) throw new Error('at most 128 keys per delete')
      return keys.filter((k) => entries.delete(k)).length
    },
    list: async <T>({ prefix }: { prefix: string }) => new Map([...entries].filter(([k]) => k.startsWith(prefix)) as [string, T][]),
    getAlarm: async () => alarm,
    setAlarm: async (at) => void (alarm = at),
  }
  const replay = new AuthspecCounters({ storage })
  const use = async (jti: string, expiresAt: number, now: number) =>
    ((await (await replay.fetch(new Request('https://x/', { method: 'POST', body: JSON.stringify({ op: 'use', key: jti, expiresAt, now }) }))).json()) as { fresh: boolean }).fresh
  return { entries, use, replay, alarm: () => alarm }
}

describe('durableObjectReplayStore (the object behind it)', () => {
  it('an id is fresh once until it expires; the alarm wakes at the earliest expiry and forgets only expired ids', async () => {
    const { entries, use, replay, alarm } = object()
    expect([await use('a', 5000, 1000), await use('a', 5000, 1200), await use('b', 3000, 1300)]).toEqual([true, false, true])
    expect(alarm()).toBe(3000)
    // The alarm at 3000 forgets b (expired) and wakes again for a.
    const realNow = Date.now
    Date.now = () => 3000
    try {
      await replay.alarm()
    } finally {
      Date.now = realNow
    }
    expect([...entries.keys()]).toEqual(['j:a'])
    expect(alarm()).toBe(5000)
    expect(await use('a', 9000, 4000)).toBe(false)
    // An id held past its expiry (the alarm not yet run) is fresh again: its proof is too old to pass anyway.
    expect(await use('a', 9000, 5001)).toBe(true)
  })

  it('a sweep of more than 128 expired ids deletes them in batches', async () => {
    const { entries, use, replay } = object()
    for (let i = 0; i < 300; i++) await use(`id${i}`, 1, 0)
    await replay.alarm()
    expect(entries.size).toBe(0)
  })

  it('bad options are config errors at creation', () => {
    expect(() => durableObjectReplayStore({ namespace: {} as never })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => durableObjectReplayStore({ namespace: () => undefined as never, binding: 1 } as never)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => durableObjectReplayStore({ namespace: (env: { COUNTERS: never }) => env.COUNTERS })).not.toThrow()
  })
})
