// The in-process cases (bench/src/inprocess-cases.mjs) answer for real: 200 with the key and
// 401 without through app.fetch / app.handle, and each floor sends the same Vary and
// Cache-Control as the adapter it is compared with (else the ratio compares different output).
import { beforeAll, describe, expect, it } from 'vitest'
import { createFixtures } from '../src/fixtures.mjs'
import { currentModules, expressFloorHeaders, expressPassport, expressRequireAuth, expressEnforceOpenAPI, honoEnforceOpenAPI, honoFloorHeaders, honoRequireAuth } from '../src/inprocess-cases.mjs'

describe('in-process cases', () => {
  let fixtures: Awaited<ReturnType<typeof createFixtures>>
  let mods: Awaited<ReturnType<typeof currentModules>>
  beforeAll(async () => {
    fixtures = await createFixtures()
    mods = await currentModules()
  })

  it('Hono: requireAuth, enforceOpenAPI and the floor send the same caching headers on a 200 (and 401 without the key)', async () => {
    const adapter = await honoRequireAuth(mods, fixtures).check()
    expect(adapter).toEqual({ vary: 'x-api-key', cacheControl: 'private' })
    expect(await honoFloorHeaders(fixtures).check()).toEqual(adapter)
    expect(await honoEnforceOpenAPI(mods, fixtures).check()).toEqual(adapter)
  })

  it('Express: requireAuth, enforceOpenAPI and the floor send the same caching headers on a 200 (and 401 without the key)', async () => {
    const adapter = await expressRequireAuth(mods, fixtures).check()
    expect(adapter.cacheControl).toBe('private')
    expect(String(adapter.vary).toLowerCase()).toContain('x-api-key')
    expect(await expressFloorHeaders(fixtures).check()).toEqual(adapter)
    expect(await expressEnforceOpenAPI(mods, fixtures).check()).toEqual(adapter)
    await expressPassport(fixtures).check()
  })

  it('a timed run answers 200 (a wrong key would throw)', async () => {
    const c = expressRequireAuth(mods, fixtures)
    for (let i = 0; i < 50; i++) await c.run()
    const h = honoRequireAuth(mods, fixtures)
    for (let i = 0; i < 50; i++) await h.run()
  })
})
