import { createAuth, httpBasic, throttled } from '@authspec/core'
import { memoryCounterStore } from '@authspec/core/api-keys'
import express from 'express'
import type { Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'
import { basic, close, listen, raw } from './helpers.js'

let server: Server
let url: string
beforeAll(async () => {
  const auth = createAuth({
    schemes: {
      Basic: throttled(httpBasic({ verify: ({ username, password }) => (password === 'right' ? { username } : null) }), {
        failures: 2,
        window: 60,
        counters: memoryCounterStore(),
        credentialId: () => undefined, // per client address only
      }),
    },
  })
  const app = express()
  app.set('trust proxy', 'loopback') // req.ip is the X-Forwarded-For address a loopback proxy gives
  app.get('/pets', requireAuth(auth, [{ Basic: [] }]), (_req, res) => {
    res.send('ok')
  })
  ;({ url, server } = await listen(app))
})
afterAll(() => close(server))

const send = (forwardedFor: string, authorization: string) =>
  raw(url, ['GET /pets HTTP/1.1', `X-Forwarded-For: ${forwardedFor}`, `Authorization: ${authorization}`])

describe('Express adapter gives req.ip (honouring trust proxy) to failed-auth throttling (ctx.client)', () => {
  it('two failures for 198.51.100.1 throttle it (429 + Retry-After); 198.51.100.2 still passes', async () => {
    expect((await send('198.51.100.1', basic('a', 'wrong'))).status).toBe(401)
    expect((await send('198.51.100.1', basic('b', 'wrong'))).status).toBe(401)
    const answer = await send('198.51.100.1', basic('a', 'right'))
    expect(answer.status).toBe(429)
    expect(answer.head).toMatch(/retry-after: \d+/i)
    expect(answer.head).toMatch(/ratelimit-policy: "failures";q=2;w=60/i)
    expect((await send('198.51.100.2', basic('a', 'right'))).status).toBe(200)
  })
})
