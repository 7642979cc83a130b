import { apiKey, createAuth, httpBasic, httpBearer, type AuthSuccess } from '@authspec/core'
import { Hono } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import { requireAuth, type AuthEnv } from '../src/index.js'

interface Account {
  id: string
  plan: 'free' | 'pro'
}

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: async (key): Promise<Account | null> => (key ? { id: key, plan: 'pro' } : null) }),
    BasicAuth: httpBasic({ users: { alice: 'wonderland' } }),
    Opaque: httpBearer({ verify: (token) => ({ token, scopes: ['pets:read'] }), scopes: (p) => p.scopes }),
  },
})

describe('requireAuth types', () => {
  it('c.var.auth.principals.ApiKeyAuth has the verify return type of the required scheme', () => {
    new Hono().get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }]), (c) => {
      expectTypeOf(c.var.auth.principals.ApiKeyAuth).toEqualTypeOf<Account>()
      expectTypeOf(c.get('auth').scopes).toEqualTypeOf<readonly string[]>()
      // A scheme the requirement does not name is not on principals.
      expectTypeOf(c.var.auth.principals).not.toHaveProperty('BasicAuth')
      return c.json(c.var.auth.principals.ApiKeyAuth)
    })
  })

  it('an AND group gives every scheme of the group, each with its own principal type', () => {
    new Hono().get('/and', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), (c) => {
      expectTypeOf(c.var.auth.principals.ApiKeyAuth).toEqualTypeOf<Account>()
      expectTypeOf(c.var.auth.principals.BasicAuth).toEqualTypeOf<{ username: string }>()
      return c.text('ok')
    })
  })

  it('an OR requirement makes each principal optional', () => {
    new Hono().get('/or', requireAuth(auth, [{ Opaque: ['pets:read'] }, { BasicAuth: [] }]), (c) => {
      expectTypeOf(c.var.auth.principals.Opaque).toEqualTypeOf<{ token: string; scopes: string[] } | undefined>()
      expectTypeOf(c.var.auth.principals.BasicAuth).toEqualTypeOf<{ username: string } | undefined>()
      return c.text('ok')
    })
  })

  it('app Bindings and the auth variable combine; AuthEnv names the variable type', () => {
    new Hono<{ Bindings: { API_KEY: string } }>().get('/env', requireAuth(auth, [{ ApiKeyAuth: [] }]), (c) => {
      expectTypeOf(c.env.API_KEY).toEqualTypeOf<string>()
      expectTypeOf(c.var.auth).toEqualTypeOf<AuthSuccess<typeof auth.schemes, readonly [{ readonly ApiKeyAuth: readonly [] }]>>()
      return c.text('ok')
    })
    expectTypeOf<AuthEnv<typeof auth.schemes, readonly [{ ApiKeyAuth: [] }]>['Variables']['auth']['principals']['ApiKeyAuth']>().toEqualTypeOf<Account>()
  })

  it('unknown scheme names are rejected at compile time', () => {
    // @ts-expect-error Nope is not a scheme of this auth
    requireAuth(auth, [{ Nope: [] }])
  })
})
