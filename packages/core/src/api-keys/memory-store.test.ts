import { describe, expect, it } from 'vitest'
import { memoryCounterStore } from './memory-store.js'

const MINUTE = 60_000

describe('memoryCounterStore: fixed windows read as current + previous', () => {
  it('rolls a count into the previous window, then forgets it two windows later', () => {
    const counters = memoryCounterStore()
    for (let i = 0; i < 3; i++) counters.hit(['k'], MINUTE, 10)
    expect(counters.peek(['k'], MINUTE, 59_999)).toEqual([{ current: 3, previous: 0 }])
    expect(counters.peek(['k'], MINUTE, MINUTE)).toEqual([{ current: 0, previous: 3 }])
    expect(counters.hit(['k'], MINUTE, MINUTE + 5)).toEqual([{ current: 1, previous: 3 }])
    expect(counters.peek(['k'], MINUTE, 2 * MINUTE)).toEqual([{ current: 0, previous: 1 }])
    expect(counters.peek(['k'], MINUTE, 3 * MINUTE)).toEqual([{ current: 0, previous: 0 }])
    // A hit after a gap of more than one window starts afresh.
    expect(counters.hit(['k'], MINUTE, 5 * MINUTE)).toEqual([{ current: 1, previous: 0 }])
  })

  it('counts each key apart, in the order asked, and a clock that went back into the newest window', () => {
    const counters = memoryCounterStore()
    counters.hit(['a', 'b'], MINUTE, 0)
    counters.hit(['b'], MINUTE, 1)
    expect(counters.peek(['b', 'a', 'c'], MINUTE, 2)).toEqual([{ current: 2, previous: 0 }, { current: 1, previous: 0 }, { current: 0, previous: 0 }])
    counters.hit(['a'], MINUTE, MINUTE)
    expect(counters.hit(['a'], MINUTE, MINUTE - 1)).toEqual([{ current: 2, previous: 1 }])
  })

  it('holds at most maxCounters keys, evicting the least recently used', () => {
    const counters = memoryCounterStore({ maxCounters: 3 })
    for (const key of ['a', 'b', 'c']) counters.hit([key], MINUTE, 0)
    counters.peek(['a'], MINUTE, 0)
    counters.hit(['d'], MINUTE, 0)
    expect(counters.size).toBe(3)
    expect(counters.peek(['a', 'b', 'c', 'd'], MINUTE, 0).map((count) => count.current)).toEqual([1, 0, 1, 1])
  })
})
