import { apiKey, createAuth, httpBasic, type AuthSuccess } from '@authspec/core'
import express from 'express'
import { expectTypeOf, test } from 'vitest'
import { requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: (key) => ({ keyId: key, plan: 'pro' as const }) }),
    BasicAuth: httpBasic({ users: { admin: 'secret' } }),
  },
})

test('req.auth is declared on every Express request; guard.auth(req) types the principals', () => {
  const guard = requireAuth(auth, [{ ApiKeyAuth: [] }])
  const app = express()
  app.get('/pets', guard, (req, res) => {
    expectTypeOf(req.auth).toEqualTypeOf<AuthSuccess | undefined>()
    const result = guard.auth(req)
    expectTypeOf(result.principals.ApiKeyAuth).toEqualTypeOf<{ keyId: string; plan: 'pro' }>()
    res.json(result.principals.ApiKeyAuth.plan)
  })
  const both = requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }])
  app.get('/both', both, (req) => {
    expectTypeOf(both.auth(req).principals.BasicAuth).toEqualTypeOf<{ username: string }>()
  })
  // @ts-expect-error unknown scheme names are rejected at compile time
  requireAuth(auth, [{ Nope: [] }])
})
