import { describe, expect, it } from 'vitest'
import { issueApiKey, revokeApiKey, rotateApiKey } from './manage.js'
import type { KeyRecord, WritableKeyStore } from './key-store.js'
import { memoryKeyStore } from './memory-store.js'

/** A store that answers after a macrotask, like a network store, with an atomic `update`. */
function slowStore(): WritableKeyStore<{ team: string }> {
  const inner = memoryKeyStore<{ team: string }>()
  const later = <T>(value: () => T) => new Promise<T>((resolve) => setTimeout(() => resolve(value()), 1))
  return {
    get: (hash) => later(() => inner.get(hash)),
    set: (hash, record) => later(() => void inner.set(hash, record)),
    delete: (hash) => later(() => void inner.delete(hash)),
    update: (hash, change) => later(() => inner.update(hash, change)),
  }
}

describe('rotate and revoke cannot lose each other', () => {
  for (const [name, make] of [
    ['memory store', () => memoryKeyStore<{ team: string }>()],
    ['a store with an async atomic update', slowStore],
  ] as const) {
    it(`${name}: concurrent rotate + revoke, 50 races, always ends revoked; a rotation that lost leaves no new key`, async () => {
      const store: WritableKeyStore<{ team: string }> = make()
      for (let round = 0; round < 50; round++) {
        const issued = await issueApiKey(store, { prefix: 'pets', principal: { team: 'race' } })
        // Alternate who starts first so both orders are exercised.
        const rotate = () => rotateApiKey(store, issued.hash, { prefix: 'pets', grace: 3600 })
        const revoke = () => revokeApiKey(store, issued.hash)
        const settled = round % 2 === 0 ? await Promise.allSettled([rotate(), revoke()] as const) : await Promise.allSettled([revoke(), rotate()] as const)
        const rotation = (round % 2 === 0 ? settled[0] : settled[1]) as PromiseSettledResult<Awaited<ReturnType<typeof rotate>>>
        const revoked = round % 2 === 0 ? settled[1] : settled[0]
        expect(revoked).toEqual({ status: 'fulfilled', value: true })
        expect((await store.get(issued.hash))?.revoked).toBe(true)
        if (rotation.status === 'fulfilled') expect((await store.get(rotation.value.hash))?.principal).toEqual({ team: 'race' })
        else expect(String(rotation.reason)).toMatch(/no valid key/)
      }
    })
  }

  it('a rotation that finds the key revoked between its read and its write deletes the new record', async () => {
    const inner = memoryKeyStore<{ team: string }>()
    const issued = await issueApiKey(inner, { prefix: 'pets', principal: { team: 't' } })
    let written: string | undefined
    const store: WritableKeyStore<{ team: string }> = {
      get: (hash) => inner.get(hash),
      delete: (hash) => inner.delete(hash),
      update: (hash, change) => inner.update(hash, change),
      // The revocation lands right after the new record is written.
      set: (hash, record: KeyRecord<{ team: string }>) => {
        inner.set(hash, record)
        written = hash
        inner.update(issued.hash, (current) => (current === undefined ? undefined : { ...current, revoked: true }))
      },
    }
    await expect(rotateApiKey(store, issued.hash, { prefix: 'pets', grace: 60 })).rejects.toThrow(/revoked during the rotation/)
    expect(written).toBeDefined()
    expect(inner.get(written!)).toBeUndefined()
    expect(inner.get(issued.hash)?.revoked).toBe(true)
  })

  it('revokeApiKey of an unknown hash answers false and writes nothing', async () => {
    const store = memoryKeyStore()
    expect(await revokeApiKey(store, 'unknown')).toBe(false)
    expect(store.keys).toBe(0)
  })
})
