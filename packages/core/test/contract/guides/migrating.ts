import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TestIssuer } from '@authspec/core/testing'
import { signTestToken } from '@authspec/core/testing'
import { expect, it } from 'vitest'
import type { GuideHarness } from './harness.js'

interface HonoApp {
  request(path: string, init?: RequestInit): Promise<Response>
}
interface ExpressApp {
  listen(port: number, host: string, cb: () => void): Server
}

const JWT_SECRET = 'migrating-guide-secret-0123456789abcdef'
const testIssuer = `import { startTestIssuer as __startTestIssuer } from '@authspec/core/testing'
const __issuer = await __startTestIssuer()
process.env.JWKS_URL = __issuer.jwksUri
process.env.ISSUER = __issuer.issuer`

/** Serve an Express app on 127.0.0.1, run `check` against its URL, then close it. */
async function served(app: ExpressApp, check: (url: string) => Promise<void>): Promise<void> {
  let server: Server | undefined
  const url = await new Promise<string>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`))
  })
  try {
    await check(url)
  } finally {
    server!.closeAllConnections()
    await new Promise<void>((resolve) => server!.close(() => resolve()))
  }
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

export const harness: GuideHarness = {
  blocks: {
    "From Hono's `bearerAuth` and `jwt`": {
      prelude: `process.env.ADMIN_TOKEN = 'admin-token-0123456789'\nprocess.env.JWT_SECRET = '${JWT_SECRET}'`,
    },
    'From express-jwt': { prelude: testIssuer, epilogue: 'export { __issuer }' },
    'From express-oauth2-jwt-bearer': { prelude: testIssuer, epilogue: 'export { __issuer }' },
    'From passport': { prelude: `const db = { findApp: async (key: string) => (key === 'key-1' ? { app: 'ci' } : null) }` },
  },
  behaviour(load) {
    it("Hono: the static admin token and the HS256 JWT replace bearerAuth and jwt; claims where jwtPayload was", async () => {
      const { app } = await load<{ app: HonoApp }>("From Hono's `bearerAuth` and `jwt`")
      expect(await (await app.request('/admin/stats', bearer('admin-token-0123456789'))).json()).toEqual({ role: 'admin' })
      const wrong = await app.request('/admin/stats', bearer('admin-token-x'))
      expect(wrong.status).toBe(401)
      expect(wrong.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"')
      const token = await signTestToken({ alg: 'HS256', secret: JWT_SECRET }, { iss: 'https://issuer.example', aud: 'api', sub: 'user-1' })
      expect(await (await app.request('/api/me', bearer(token))).json()).toMatchObject({ sub: 'user-1', aud: 'api' })
      const otherAudience = await signTestToken({ alg: 'HS256', secret: JWT_SECRET }, { iss: 'https://issuer.example', aud: 'other' })
      expect((await app.request('/api/me', bearer(otherAudience))).status).toBe(401)
      expect((await app.request('/api/me')).status).toBe(401)
    })

    it('express-jwt: the JWKS-verified token with pets:read gives claims.sub; without the scope 403, without a token 401', async () => {
      const { app, __issuer } = await load<{ app: ExpressApp; __issuer: TestIssuer }>('From express-jwt')
      try {
        await served(app, async (url) => {
          const ok = await fetch(`${url}/pets`, bearer(await __issuer.sign({ aud: 'api', sub: 'user-1', scope: 'pets:read' })))
          expect(await ok.json()).toEqual({ sub: 'user-1' })
          expect((await fetch(`${url}/pets`, bearer(await __issuer.sign({ aud: 'api', scope: 'other' })))).status).toBe(403)
          const none = await fetch(`${url}/pets`)
          expect(none.status).toBe(401)
          expect(none.headers.get('www-authenticate')).toBe('Bearer realm="api"')
        })
      } finally {
        await __issuer.close()
      }
    })

    it('express-oauth2-jwt-bearer: discovery gives issuer and keys; scopes checked in the requirement', async () => {
      const { app, __issuer } = await load<{ app: ExpressApp; __issuer: TestIssuer }>('From express-oauth2-jwt-bearer')
      try {
        await served(app, async (url) => {
          const ok = await fetch(`${url}/pets`, bearer(await __issuer.sign({ aud: 'api', sub: 'user-2', scope: 'pets:read' })))
          expect(ok.status).toBe(200)
          expect(await ok.json()).toMatchObject({ sub: 'user-2', iss: __issuer.issuer })
          const noScope = await fetch(`${url}/pets`, bearer(await __issuer.sign({ aud: 'api' })))
          expect(noScope.status).toBe(403)
          expect(noScope.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="pets:read"')
          expect(__issuer.requests['/.well-known/openid-configuration']).toBe(1)
        })
      } finally {
        await __issuer.close()
      }
    })

    it('passport: the apiKey verify replaces the strategy; the principal where req.user was', async () => {
      const { app } = await load<{ app: ExpressApp }>('From passport')
      await served(app, async (url) => {
        expect(await (await fetch(`${url}/pets`, { headers: { 'x-api-key': 'key-1' } })).json()).toEqual({ app: 'ci' })
        const wrong = await fetch(`${url}/pets`, { headers: { 'x-api-key': 'key-2' } })
        expect(wrong.status).toBe(401)
        expect(wrong.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key", error="invalid_token"')
      })
    })
  },
}
