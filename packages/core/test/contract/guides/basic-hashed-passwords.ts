import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

interface Auth {
  authenticate(request: Request, requirement: unknown): Promise<{ ok: boolean; principals?: Record<string, unknown>; status?: number; response?: Response }>
}

const basic = (user: string, password: string) => new Request('http://localhost/', { headers: { authorization: `Basic ${btoa(`${user}:${password}`)}` } })

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export const harness: GuideHarness = {
  blocks: {
    'The scheme': {
      // One user in the reader's table, with a hash of the same cost as the guide's.
      epilogue: `users.set('ann', { id: 'u1', passwordHash: bcrypt.hashSync('correct horse', 10), roles: ['pets:read'] })`,
    },
  },
  behaviour(load) {
    it('the right password grants { id, roles }; a wrong password and an unknown user are the same 401', async () => {
      const { auth } = await load<{ auth: Auth }>('The scheme')
      const ok = await auth.authenticate(basic('ann', 'correct horse'), [{ BasicAuth: ['pets:read'] }])
      expect(ok).toMatchObject({ ok: true, principals: { BasicAuth: { id: 'u1', roles: ['pets:read'] } } })
      const wrong = await auth.authenticate(basic('ann', 'wrong'), [{ BasicAuth: [] }])
      const unknown = await auth.authenticate(basic('nobody', 'wrong'), [{ BasicAuth: [] }])
      expect(wrong.status).toBe(401)
      expect(unknown.status).toBe(401)
      expect(await unknown.response!.text()).toBe(await wrong.response!.text())
      expect(unknown.response!.headers.get('www-authenticate')).toBe(wrong.response!.headers.get('www-authenticate'))
      expect(unknown.response!.headers.get('www-authenticate')).toMatch(/^Basic realm="pets"/)
      const forbidden = await auth.authenticate(basic('ann', 'correct horse'), [{ BasicAuth: ['admin'] }])
      expect(forbidden.status).toBe(403)
    })

    it('an unknown user takes a bcrypt comparison too (timing does not reveal existence)', async () => {
      const { auth } = await load<{ auth: Auth }>('The scheme')
      const time = async (request: () => Request) => {
        const samples: number[] = []
        for (let i = 0; i < 3; i++) {
          const start = performance.now()
          await auth.authenticate(request(), [{ BasicAuth: [] }])
          samples.push(performance.now() - start)
        }
        return median(samples)
      }
      const wrongPassword = await time(() => basic('ann', 'wrong'))
      const unknownUser = await time(() => basic('nobody', 'wrong'))
      // A cost-10 bcrypt comparison takes tens of ms; an early `return null` would take well under 1 ms.
      expect(wrongPassword).toBeGreaterThan(5)
      expect(unknownUser).toBeGreaterThan(wrongPassword * 0.4)
    }, 30_000)
  },
}
