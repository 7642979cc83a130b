import { serve, type ServerType } from '@hono/node-server'
import { createAuth, httpBasic, throttled } from '@authspec/core'
import { memoryCounterStore } from '@authspec/core/api-keys'
import { Hono } from 'hono'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requireAuth } from '../src/index.js'

const basic = (userPass: string) => `Basic ${Buffer.from(userPass).toString('base64')}`

/** GET over a real socket from `localAddress` (127.0.0.x are all loopback on Linux). */
function get(port: number, localAddress: string, authorization: string): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/pets', localAddress, agent: false, headers: { authorization } }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined }))
    })
    req.on('error', reject)
    req.end()
  })
}

let server: ServerType
let port: number
beforeAll(async () => {
  const auth = createAuth({
    schemes: {
      Basic: throttled(httpBasic({ verify: ({ username, password }) => (password === 'right' ? { username } : null) }), {
        failures: 2,
        window: 60,
        counters: memoryCounterStore(),
        credentialId: () => undefined, // count per client address only, to show the adapter's address
      }),
    },
  })
  const app = new Hono().get('/pets', requireAuth(auth, [{ Basic: [] }]), (c) => c.text('ok'))
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      port = info.port
      resolve()
    })
  })
  port = (server.address() as AddressInfo).port
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('Hono adapter gives the connection address to failed-auth throttling (ctx.client)', () => {
  it('two failures from 127.0.0.2 throttle that address (429 + Retry-After); 127.0.0.3 still passes', async () => {
    expect((await get(port, '127.0.0.2', basic('a:wrong'))).status).toBe(401)
    expect((await get(port, '127.0.0.2', basic('b:wrong'))).status).toBe(401)
    const throttledAnswer = await get(port, '127.0.0.2', basic('a:right'))
    expect(throttledAnswer.status).toBe(429)
    expect(Number(throttledAnswer.retryAfter)).toBeGreaterThanOrEqual(1)
    expect((await get(port, '127.0.0.3', basic('a:right'))).status).toBe(200)
  })
})
