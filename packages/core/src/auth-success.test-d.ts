import { describe, expectTypeOf, it } from 'vitest'
import { apiKey, createAuth, httpBasic, httpBearer, type AuthSuccess, type Requirement } from './index.js'

interface User {
  id: number
}
interface Session {
  sessionId: string
  scopes: readonly string[]
}

const auth = createAuth({
  schemes: {
    Key: apiKey({ in: 'header', name: 'X-Key', verify: (key): User | null => (key === 'k' ? { id: 1 } : null) }),
    Basic: httpBasic({ users: { ann: 'pw' } }),
    Opaque: httpBearer({ verify: (token): Session | null => ({ sessionId: token, scopes: [] }), scopes: (s) => s.scopes }),
  },
})
type Schemes = typeof auth.schemes
declare const request: Request

describe('AuthSuccess of an OR requirement is discriminated by alternative', () => {
  it('alternative is the union of the literal indexes', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: ['pets:read'] }, { Key: [], Basic: [] }])
    if (result.ok) expectTypeOf(result.alternative).toEqualTypeOf<0 | 1 | 2>()
  })

  it('checking alternative narrows the principals to that alternative, the others are undefined', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: ['pets:read'] }, { Key: [], Basic: [] }])
    if (!result.ok) return
    if (result.alternative === 0) {
      expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
      expectTypeOf(result.principals.Opaque).toEqualTypeOf<undefined>()
      expectTypeOf(result.principals.Basic).toEqualTypeOf<undefined>()
    } else if (result.alternative === 1) {
      expectTypeOf(result.principals.Opaque).toEqualTypeOf<Session>()
      expectTypeOf(result.principals.Key).toEqualTypeOf<undefined>()
    } else {
      expectTypeOf(result.alternative).toEqualTypeOf<2>()
      expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
      expectTypeOf(result.principals.Basic).toEqualTypeOf<{ username: string }>()
    }
  })

  it('without narrowing every principal of the requirement reads as optional', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: [] }])
    if (!result.ok) return
    expectTypeOf(result.principals.Key).toEqualTypeOf<User | undefined>()
    // @ts-expect-error Key may be undefined until alternative is checked
    void result.principals.Key.id
    // A scheme the requirement does not name is not on principals at all.
    expectTypeOf(result.principals).not.toHaveProperty('Basic')
  })

  it('a switch on alternative is exhaustive', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: [] }])
    if (!result.ok) return
    switch (result.alternative) {
      case 0:
        expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
        break
      case 1:
        expectTypeOf(result.principals.Opaque).toEqualTypeOf<Session>()
        break
      default:
        expectTypeOf(result).toBeNever()
    }
    // @ts-expect-error 2 is not an alternative of a two-alternative requirement
    void (result.alternative === 2)
  })

  it('narrowing works for requirements declared as const and from auth.prepare', async () => {
    const asConst = [{ Opaque: ['pets:read'] }, { Basic: [] }] as const
    const a = await auth.authenticate(request, asConst)
    if (a.ok && a.alternative === 1) expectTypeOf(a.principals.Basic).toEqualTypeOf<{ username: string }>()
    const prepared = auth.prepare([{ Opaque: ['pets:read'] }, { Basic: [] }])
    const b = await auth.authenticate(request, prepared)
    if (b.ok && b.alternative === 0) expectTypeOf(b.principals.Opaque).toEqualTypeOf<Session>()
  })

  it('optional auth {} is an alternative with no principals', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, {}])
    if (!result.ok) return
    if (result.alternative === 1) expectTypeOf(result.principals).toEqualTypeOf<{ Key?: undefined }>()
    else expectTypeOf(result.principals.Key).toEqualTypeOf<User>()
  })

  it('a public [] requirement gives alternative -1 and empty principals', async () => {
    const result = await auth.authenticate(request, [])
    if (result.ok) {
      expectTypeOf(result.alternative).toEqualTypeOf<-1>()
      expectTypeOf(result.principals).toEqualTypeOf<Record<never, never>>()
    }
  })

  it('a requirement of unknown length falls back to number and optional principals', async () => {
    const dynamic: Requirement<Schemes> = [{ Key: [] }]
    const result = await auth.authenticate(request, dynamic)
    if (!result.ok) return
    expectTypeOf(result.alternative).toEqualTypeOf<number>()
    expectTypeOf(result.principals.Key).toEqualTypeOf<User | undefined>()
    expectTypeOf(result.principals.Basic).toEqualTypeOf<{ username: string } | undefined>()
  })

  it('every narrowed success is assignable to the default AuthSuccess (what adapters store)', async () => {
    const result = await auth.authenticate(request, [{ Key: [] }, { Opaque: [] }])
    if (result.ok) {
      expectTypeOf(result).toExtend<AuthSuccess>()
      expectTypeOf(result).toExtend<AuthSuccess<Schemes>>()
    }
  })
})

describe('authenticateNow has the types of authenticate, without or with a promise', () => {
  it('awaited, it is the same discriminated result', async () => {
    const requirement = [{ Key: [] }, { Opaque: ['pets:read'] }] as const
    const now = auth.authenticateNow(request, requirement)
    const later = await auth.authenticate(request, requirement)
    expectTypeOf(await now).toEqualTypeOf(later)
    const answer = now instanceof Promise ? await now : now
    if (answer.ok && answer.alternative === 0) expectTypeOf(answer.principals.Key).toEqualTypeOf<User>()
  })
})
