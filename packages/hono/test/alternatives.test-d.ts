import { apiKey, createAuth, fromOpenAPI, httpBearer } from '@authspec/core'
import { Hono } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import { requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: (key) => ({ app: key }) }),
    Session: httpBearer({ verify: (token) => ({ user: token }) }),
  },
})

describe('c.var.auth of an OR requirement', () => {
  it('narrows on the literal alternative', () => {
    new Hono().get('/or', requireAuth(auth, [{ Session: [] }, { ApiKeyAuth: [] }]), (c) => {
      const { auth: result } = c.var
      expectTypeOf(result.alternative).toEqualTypeOf<0 | 1>()
      if (result.alternative === 0) {
        expectTypeOf(result.principals.Session).toEqualTypeOf<{ user: string }>()
        expectTypeOf(result.principals.ApiKeyAuth).toEqualTypeOf<undefined>()
      } else {
        expectTypeOf(result.principals.ApiKeyAuth).toEqualTypeOf<{ app: string }>()
      }
      return c.text('ok')
    })
  })

  it('optional auth {} is an alternative without principals', () => {
    new Hono().get('/optional', requireAuth(auth, [{ Session: [] }, {}]), (c) => {
      const { auth: result } = c.var
      if (result.alternative === 1) expectTypeOf(result.principals).toEqualTypeOf<{ Session?: undefined }>()
      // @ts-expect-error Session may be undefined until alternative is checked
      void result.principals.Session.user
      return c.text('ok')
    })
  })
})

describe('an auth from a typed fromOpenAPI', () => {
  it('types c.var.auth from each verify, as createAuth does', () => {
    const specAuth = fromOpenAPI(
      { openapi: '3.1.0', components: { securitySchemes: { Key: { type: 'apiKey', in: 'header', name: 'X-Key' } } } },
      { verifiers: { Key: { verify: (key) => ({ client: key }) } } },
    )
    new Hono().get('/spec', requireAuth(specAuth, [{ Key: [] }]), (c) => {
      expectTypeOf(c.var.auth.principals.Key).toEqualTypeOf<{ client: string }>()
      return c.text('ok')
    })
  })
})
