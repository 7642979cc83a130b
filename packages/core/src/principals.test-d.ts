import { describe, expectTypeOf, it } from 'vitest'
import { apiKey, createAuth, httpBasic, httpBearer, type AuthFailure, type BasicCredentials } from './index.js'

interface User {
  id: number
  roles: string[]
}
interface Session {
  sessionId: string
  scopes: readonly string[]
}

const auth = createAuth({
  schemes: {
    Key: apiKey({ in: 'header', name: 'X-Key', verify: (key: string): User | null => (key === 'k' ? { id: 1, roles: [] } : null) }),
    StaticKey: apiKey({ in: 'query', name: 'k', keys: { ci: 'secret' } }),
    Basic: httpBasic({ verify: async ({ username }): Promise<{ username: string; admin: boolean } | undefined> => ({ username, admin: false }) }),
    StaticBasic: httpBasic({ users: { ann: 'pw' } }),
    Opaque: httpBearer({ verify: (token): Session | null => ({ sessionId: token, scopes: [] }), scopes: (s) => s.scopes }),
  },
})
declare const request: Request

describe('principal inference', () => {
  it("a single-alternative requirement makes its schemes' principals required keys of the verify return type", async () => {
    const result = await auth.authenticate(request, [{ Key: [] }])
    if (result.ok) {
      expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
      expectTypeOf(result.principals).toHaveProperty('Key')
      expectTypeOf(result.principals).not.toHaveProperty('Opaque')
    }
  })

  it('an AND group makes every scheme of it required', async () => {
    const result = await auth.authenticate(request, [{ Key: [], Basic: [] }])
    if (result.ok) {
      expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
      expectTypeOf(result.principals.Basic).toEqualTypeOf<{ username: string; admin: boolean }>()
    }
  })

  it('an async verify gives the awaited principal type', async () => {
    const result = await auth.authenticate(request, [{ Basic: [] }])
    if (result.ok) expectTypeOf(result.principals.Basic).toEqualTypeOf<{ username: string; admin: boolean }>()
  })

  it('static keys give { id: string }, static users { username: string }', async () => {
    const keyResult = await auth.authenticate(request, [{ StaticKey: [] }])
    if (keyResult.ok) expectTypeOf(keyResult.principals.StaticKey).toEqualTypeOf<{ id: string }>()
    const basicResult = await auth.authenticate(request, [{ StaticBasic: [] }])
    if (basicResult.ok) expectTypeOf(basicResult.principals.StaticBasic).toEqualTypeOf<{ username: string }>()
  })

  it('several alternatives make the principals optional', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: ['pets:read'] }])
    if (result.ok) {
      expectTypeOf(result.principals.Key).toEqualTypeOf<User | undefined>()
      expectTypeOf(result.principals.Opaque).toEqualTypeOf<Session | undefined>()
    }
  })

  it('a prepared requirement keeps its inference', async () => {
    const prepared = auth.prepare([{ Opaque: [] }])
    const result = await auth.authenticate(request, prepared)
    if (result.ok) expectTypeOf(result.principals.Opaque).toEqualTypeOf<Session>()
  })

  it('success and failure narrow on ok', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }])
    if (!result.ok) {
      expectTypeOf(result).toEqualTypeOf<AuthFailure>()
      expectTypeOf(result.status).toEqualTypeOf<400 | 401 | 403 | 429 | 503>()
      expectTypeOf(result.response).toEqualTypeOf<Response>()
    } else {
      expectTypeOf(result.alternative).toBeNumber()
      expectTypeOf(result.scopes).toEqualTypeOf<readonly string[]>()
    }
  })

  it('verify gets the credential type of its scheme', () => {
    httpBasic({
      verify: (credentials) => {
        expectTypeOf(credentials).toEqualTypeOf<BasicCredentials>()
        return null
      },
    })
    apiKey({
      in: 'header',
      name: 'X-Key',
      verify: (key, ctx) => {
        expectTypeOf(key).toBeString()
        expectTypeOf(ctx.scopes).toEqualTypeOf<readonly string[]>()
        return null
      },
    })
  })

  it('the scopes option gets the principal type', () => {
    httpBearer({ verify: (): Session | null => null, scopes: (p) => (expectTypeOf(p).toEqualTypeOf<Session>(), p.scopes) })
  })

  it('requirements naming unknown schemes are type errors', () => {
    // @ts-expect-error Nope is not a scheme of this auth
    void auth.authenticate(request, [{ Nope: [] }])
  })
})
