import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

/**
 * docs/guides/spec-first-yaml.md (lane i11). Its blocks' behaviour is checked in detail by
 * packages/hono/test/guide.test.ts and packages/express/test/guide.test.ts; here they
 * are typechecked strictly with the other guides, and each runs once with its main claim checked.
 */
export const harness: GuideHarness = {
  blocks: { '2. The auth': {}, '3. Hono': {}, '4. Express': {} },
  behaviour(load) {
    it('"2. The auth": the YAML document gives DELETE /books/{id} its AND requirement', async () => {
      const { auth } = await load<{ auth: { requirementFor(method: string, path: string): unknown } }>('2. The auth')
      expect(auth.requirementFor('DELETE', '/books/{id}')).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
    })

    it('"3. Hono": the key opens GET /books, not DELETE /books/7 (needs both)', async () => {
      const { app } = await load<{ app: { request(path: string, init?: RequestInit): Promise<Response> } }>('3. Hono')
      const key = { 'x-api-key': 'key-0123456789' }
      expect((await app.request('/books', { headers: key })).status).toBe(200)
      expect((await app.request('/books/7', { method: 'DELETE', headers: key })).status).toBe(401)
    })

    it('"4. Express": the key opens GET /books, POST needs the OAuth2 token', async () => {
      const { app } = await load<{ app: { listen(port: number, host: string, cb: () => void): Server } }>('4. Express')
      let server: Server | undefined
      const url = await new Promise<string>((resolve) => {
        server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`))
      })
      try {
        expect((await fetch(`${url}/books`, { headers: { 'x-api-key': 'key-0123456789' } })).status).toBe(200)
        expect((await fetch(`${url}/books`, { method: 'POST', headers: { 'x-api-key': 'key-0123456789' } })).status).toBe(401)
        expect((await fetch(`${url}/books`, { method: 'POST', headers: { authorization: 'Bearer writer-token' } })).status).toBe(201)
      } finally {
        server!.closeAllConnections()
        await new Promise<void>((resolve) => server!.close(() => resolve()))
      }
    })
  },
}
