import { apiKey, createAuth, httpBasic } from '@authspec/core'
import express from 'express'
import { expectTypeOf, test } from 'vitest'
import { requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: (key) => ({ keyId: key }) }),
    BasicAuth: httpBasic({ users: { admin: 'secret' } }),
  },
})

test('guard.auth(req) of an OR requirement narrows on the literal alternative', () => {
  const either = requireAuth(auth, [{ BasicAuth: [] }, { ApiKeyAuth: [] }])
  express().get('/either', either, (req) => {
    const result = either.auth(req)
    expectTypeOf(result.alternative).toEqualTypeOf<0 | 1>()
    if (result.alternative === 1) {
      expectTypeOf(result.principals.ApiKeyAuth).toEqualTypeOf<{ keyId: string }>()
      expectTypeOf(result.principals.BasicAuth).toEqualTypeOf<undefined>()
    } else expectTypeOf(result.principals.BasicAuth).toEqualTypeOf<{ username: string }>()
  })
})
