import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Lru } from './lru.js'

describe('Lru', () => {
  it('evicts the least recently used entry once max are held; a get refreshes recency', () => {
    const lru = new Lru<string, number>(2)
    lru.set('a', 1)
    lru.set('b', 2)
    expect(lru.get('a')).toBe(1)
    lru.set('c', 3)
    expect(lru.get('b')).toBeUndefined()
    expect(lru.get('a')).toBe(1)
    expect(lru.get('c')).toBe(3)
    expect(lru.size).toBe(2)
  })

  it('set on an existing key replaces its value without growing; delete and clear forget', () => {
    const lru = new Lru<string, number>(3)
    lru.set('a', 1)
    lru.set('a', 2)
    expect(lru.size).toBe(1)
    expect(lru.get('a')).toBe(2)
    lru.set('b', 3)
    lru.delete('a')
    lru.delete('missing')
    expect(lru.get('a')).toBeUndefined()
    expect(lru.size).toBe(1)
    lru.clear()
    expect(lru.size).toBe(0)
    lru.set('c', 4)
    expect(lru.get('c')).toBe(4)
  })

  it('behaves exactly like a reference LRU on random operation sequences and never exceeds max', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 6 }) }),
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 6 }), value: fc.integer() }),
      fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 6 }) }),
    )
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 60 }), (max, ops) => {
        const lru = new Lru<number, number>(max)
        // Reference: an array in recency order, least recently used first.
        let ref: Array<[number, number]> = []
        for (const step of ops) {
          const at = ref.findIndex(([k]) => k === step.key)
          if (step.kind === 'get') {
            const expected = at === -1 ? undefined : ref[at]![1]
            if (at !== -1) ref.push(ref.splice(at, 1)[0]!)
            expect(lru.get(step.key)).toBe(expected)
          } else if (step.kind === 'set') {
            if (at !== -1) ref.splice(at, 1)
            else if (ref.length >= max) ref = ref.slice(1)
            ref.push([step.key, step.value])
            lru.set(step.key, step.value)
          } else {
            if (at !== -1) ref.splice(at, 1)
            lru.delete(step.key)
          }
          expect(lru.size).toBe(ref.length)
          expect(lru.size).toBeLessThanOrEqual(max)
        }
      }),
      { numRuns: 300 },
    )
  })
})
