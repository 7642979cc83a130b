import { apiKey, createAuth, httpBasic, isAuthspecError } from '@authspec/core'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'

const auth = createAuth({
  schemes: {
    Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' }, scopes: () => ['read'] }),
    Basic: httpBasic({ users: { admin: 'admin-password' }, scopes: () => ['admin'] }),
  },
})

describe('stacked guards on Hono (app.use(path, guard), then a route guard)', () => {
  it('each guard keeps its own result; c.var.auth merges principals and scopes; guard.auth(c) throws for a guard not passed', async () => {
    const keyGuard = requireAuth(auth, [{ Key: [] }])
    const basicGuard = requireAuth(auth, [{ Basic: [] }])
    const unused = requireAuth(auth, [{ Key: [], Basic: [] }])
    const app = new Hono()
    app.use('/k/*', keyGuard)
    // The route guard types c.var.auth; the path guard's principal is read through keyGuard.auth(c).
    app.get('/k/admin', basicGuard, (c) => {
      let thrown: unknown
      try {
        unused.auth(c)
      } catch (error) {
        thrown = error
      }
      return c.json({
        key: keyGuard.auth(c).principals.Key,
        basic: Object.keys(basicGuard.auth(c).principals),
        merged: Object.keys(c.var.auth.principals),
        typed: c.var.auth.principals.Basic.username,
        scopes: c.var.auth.scopes,
        unused: isAuthspecError(thrown),
      })
    })
    const response = await app.request('/k/admin', { headers: { 'x-api-key': 'key-0123456789', authorization: `Basic ${btoa('admin:admin-password')}` } })
    expect(await response.json()).toEqual({ key: { id: 'ci' }, basic: ['Basic'], merged: ['Key', 'Basic'], typed: 'admin', scopes: ['read', 'admin'], unused: true })
    expect((await app.request('/k/admin', { headers: { authorization: `Basic ${btoa('admin:admin-password')}` } })).status).toBe(401)
  })

  it('chained registration types the path guard too: c.var.auth has both principals', async () => {
    const app = new Hono().use('/k/*', requireAuth(auth, [{ Key: [] }])).get('/k/both', requireAuth(auth, [{ Basic: [] }]), (c) =>
      c.json({ key: c.var.auth.principals.Key, basic: c.var.auth.principals.Basic.username }),
    )
    const response = await app.request('/k/both', { headers: { 'x-api-key': 'key-0123456789', authorization: `Basic ${btoa('admin:admin-password')}` } })
    expect(await response.json()).toEqual({ key: { id: 'ci' }, basic: 'admin' })
  })

  it('c.var holds only auth: the record of which guard passed is no context variable, and c.set cannot forge it', async () => {
    const keyGuard = requireAuth(auth, [{ Key: [] }])
    const basicGuard = requireAuth(auth, [{ Basic: [] }])
    const app = new Hono()
    app.get('/k', keyGuard, (c) => {
      // A handler writing every variable name it can think of must not make basicGuard's result readable.
      for (const name of ['authspec:results', 'authspec.results', 'results']) c.set(name as never, basicGuard as never)
      let thrown: unknown
      try {
        basicGuard.auth(c)
      } catch (error) {
        thrown = error
      }
      return c.json({ vars: Object.keys(c.var).filter((name) => !name.includes('results')), key: keyGuard.auth(c).principals.Key, forged: !isAuthspecError(thrown) })
    })
    const response = await app.request('/k', { headers: { 'x-api-key': 'key-0123456789' } })
    expect(await response.json()).toEqual({ vars: ['auth'], key: { id: 'ci' }, forged: false })
  })
})
