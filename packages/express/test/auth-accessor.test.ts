import { apiKey, createAuth } from '@authspec/core'
import express5 from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'
import { close, listen } from './helpers.js'

const auth = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' } }) } })
const KEY = { 'x-api-key': 'key-0123456789' }

async function get(app: Parameters<typeof listen>[0], path: string, headers: Record<string, string> = KEY): Promise<{ status: number; body: unknown }> {
  const { url, server } = await listen(app)
  try {
    const res = await fetch(url + path, { headers })
    return { status: res.status, body: await res.json().catch(() => null) }
  } finally {
    await close(server)
  }
}

describe.each([
  ['Express 4', express4 as unknown as typeof express5],
  ['Express 5', express5],
])('%s: req.auth is read from the guard results, never lost', (_name, express) => {
  it('a mounted sub-app and its parent both read req.auth after the guard', async () => {
    const guard = requireAuth(auth, [{ Key: [] }])
    const sub = express()
    sub.get('/pets', guard, (req, _res, next) => next())
    sub.get('/pets', (req, res) => res.json({ sub: req.auth?.principals }))
    const app = express()
    app.use('/v1', sub)
    expect(await get(app, '/v1/pets')).toEqual({ status: 200, body: { sub: { Key: { id: 'ci' } } } })
  })

  it('an own req.auth set by an earlier middleware is replaced by the guard success, as before', async () => {
    const app = express()
    app.use((req, _res, next) => {
      ;(req as { auth?: unknown }).auth = { from: 'another library' }
      next()
    })
    app.get('/pets', requireAuth(auth, [{ Key: [] }]), (req, res) => res.json({ own: Object.hasOwn(req, 'auth'), principals: req.auth?.principals }))
    expect(await get(app, '/pets')).toEqual({ status: 200, body: { own: true, principals: { Key: { id: 'ci' } } } })
  })

  it('a handler may assign req.auth; a request no guard passed reads undefined', async () => {
    const app = express()
    app.get('/pets', requireAuth(auth, [{ Key: [] }]), (req, res) => {
      ;(req as { auth?: unknown }).auth = { replaced: true }
      res.json({ auth: req.auth })
    })
    app.get('/public', (req, res) => res.json({ auth: req.auth ?? null, has: Object.hasOwn(req, 'auth') }))
    expect(await get(app, '/pets')).toEqual({ status: 200, body: { auth: { replaced: true } } })
    expect(await get(app, '/public')).toEqual({ status: 200, body: { auth: null, has: false } })
  })
})
