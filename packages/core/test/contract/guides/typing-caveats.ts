import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

interface HonoApp {
  request(path: string, init?: RequestInit): Promise<Response>
}
interface Auth {
  authenticate(request: Request, requirement: unknown): Promise<{ ok: boolean; principals?: Record<string, unknown>; status?: number }>
}

const withKey = { headers: { 'x-api-key': 'key-1' } }

export const harness: GuideHarness = {
  blocks: {
    'Hono: a non-chained `app.use(path, guard)` loses `c.var.auth`': {},
    'OR requirements: narrow on `alternative`': {},
    // The block's own @ts-expect-error proves the compile error.
    'Spec-first: typed `fromOpenAPI`': {},
  },
  behaviour(load) {
    it('Hono: every variant guards /pets/mine at run time; the typed ones answer the principal', async () => {
      const apps = await load<Record<'untyped' | 'chained' | 'perRoute' | 'declared', HonoApp>>('Hono: a non-chained `app.use(path, guard)` loses `c.var.auth`')
      for (const name of ['untyped', 'chained', 'perRoute', 'declared'] as const) {
        const app = apps[name]
        expect((await app.request('/pets/mine')).status, name).toBe(401)
        const ok = await app.request('/pets/mine', withKey)
        expect(ok.status, name).toBe(200)
        if (name !== 'untyped') expect(await ok.json(), name).toEqual({ app: 'ci' })
      }
      // The untyped route still sees the success at run time: only its type is lost.
      expect(await (await apps.untyped.request('/pets/mine', withKey)).json()).toEqual({ ApiKeyAuth: { app: 'ci' } })
    })

    it('OR requirements: the narrowed branches name the alternative that passed', async () => {
      const { whoIs, looseUser } = await load<{ whoIs(r: Request): Promise<string>; looseUser(r: Request): Promise<string | undefined> }>(
        'OR requirements: narrow on `alternative`',
      )
      expect(await whoIs(new Request('http://localhost/', { headers: { authorization: 'Bearer session-1' } }))).toBe('user ann')
      expect(await whoIs(new Request('http://localhost/', { headers: { 'x-api-key': 'key-0123456789' } }))).toBe('client ci')
      expect(await whoIs(new Request('http://localhost/'))).toBe('refused (401)')
      expect(await looseUser(new Request('http://localhost/', { headers: { authorization: 'Bearer session-1' } }))).toBe('ann')
    })

    it('spec-first: the typed and the file-based auth both verify; the misspelt name is a start-up config error too', async () => {
      const { auth, fileAuth, withTypo } = await load<{ auth: Auth; fileAuth: Auth; withTypo(): unknown }>('Spec-first: typed `fromOpenAPI`')
      for (const a of [auth, fileAuth]) {
        expect(await a.authenticate(new Request('http://localhost/', withKey), [{ ApiKeyAuth: [] }])).toMatchObject({ ok: true, principals: { ApiKeyAuth: { app: 'ci' } } })
        const basic = { headers: { authorization: `Basic ${btoa('ann:wonderland')}` } }
        expect(await a.authenticate(new Request('http://localhost/', basic), [{ BasicAuth: [] }])).toMatchObject({ ok: true, principals: { BasicAuth: { username: 'ann' } } })
      }
      expect(withTypo).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG', message: expect.stringContaining('"Typo"') as string }))
    })
  },
}
