import { apiKey, createAuth, httpBasic, isAuthspecError } from '@authspec/core'
import express5 from 'express'
import type { ErrorRequestHandler } from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'
import { basic, close, listen } from './helpers.js'

const auth = createAuth({
  schemes: {
    Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' }, scopes: () => ['read'] }),
    Basic: httpBasic({ users: { admin: 'admin-password' }, scopes: () => ['admin'] }),
  },
})

describe.each([
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
])('%s: stacked guards (a path guard, then a route guard)', (_name, express) => {
  it('each guard keeps its own result; req.auth merges principals and scopes; auth(req) throws for a guard not passed', async () => {
    const keyGuard = requireAuth(auth, [{ Key: [] }])
    const basicGuard = requireAuth(auth, [{ Basic: [] }])
    const unused = requireAuth(auth, [{ Key: [], Basic: [] }])
    const app = express()
    app.use('/k', keyGuard)
    app.get('/k/admin', basicGuard, (req, res) => {
      let thrown: unknown
      try {
        unused.auth(req)
      } catch (error) {
        thrown = error
      }
      res.json({
        key: keyGuard.auth(req).principals.Key,
        basic: Object.keys(basicGuard.auth(req).principals),
        merged: Object.keys(req.auth!.principals),
        scopes: req.auth!.scopes,
        unused: isAuthspecError(thrown),
      })
    })
    app.use(((error, _req, res, _next) => void res.status(500).send(String(error))) as ErrorRequestHandler)
    const { url, server } = await listen(app)
    try {
      const response = await fetch(`${url}/k/admin`, { headers: { 'x-api-key': 'key-0123456789', authorization: basic('admin', 'admin-password') } })
      expect(await response.json()).toEqual({ key: { id: 'ci' }, basic: ['Basic'], merged: ['Key', 'Basic'], scopes: ['read', 'admin'], unused: true })
      expect((await fetch(`${url}/k/admin`, { headers: { authorization: basic('admin', 'admin-password') } })).status).toBe(401)
    } finally {
      await close(server)
    }
  })
})
