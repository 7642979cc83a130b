import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createApp } from '../src/app.js'
import { DEMO_AUDIENCE, DEMO_ISSUER } from '../src/auth.js'

const app = createApp()
const { credentials: c } = app
let server: ReturnType<typeof Bun.serve>
let base = ''

beforeAll(() => {
  server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch })
  base = `http://127.0.0.1:${server.port}`
})
afterAll(() => server.stop(true))

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` })
const call = (path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) => fetch(base + path, { method, headers, body })

async function hs256(claims: Record<string, unknown>, secret = c.jwtSecret): Promise<string> {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
  const input = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `${input}.${Buffer.from(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))).toString('base64url')}`
}
const now = () => Math.floor(Date.now() / 1000)

describe('Bun.serve pets API on the core', () => {
  test('runs on Bun', () => {
    expect(typeof Bun.version).toBe('string')
  })

  test('public route answers without credentials and adds no cache headers', async () => {
    const res = await call('/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBeNull()
  })

  test('API key route: 401 with an APIKey challenge and problem+json, 200 with the key, 401 with a wrong one', async () => {
    const denied = await call('/pets/1')
    expect(denied.status).toBe(401)
    expect(denied.headers.get('www-authenticate')).toBe('APIKey realm="pets", in="header", name="X-API-Key"')
    expect(denied.headers.get('content-type')).toBe('application/problem+json')
    expect(await denied.json()).toMatchObject({ status: 401, code: 'credentials_missing' })
    const ok = await call('/pets/1', { 'X-API-Key': c.apiKey })
    expect(ok.status).toBe(200)
    expect(ok.headers.get('vary')).toBe('X-API-Key')
    expect(ok.headers.get('cache-control')).toBe('private')
    expect(await ok.json()).toEqual({ id: 1, name: 'Rex', tag: 'dog', keyId: 'demo' })
    const wrong = await call('/pets/1', { 'X-API-Key': 'wrong' })
    expect(wrong.status).toBe(401)
    expect((await wrong.json()).code).toBe('invalid_token')
  })

  test('Basic route: right password 200, wrong 401 invalid_token, bad base64 400', async () => {
    expect(await (await call('/me', { Authorization: basic(c.basicUser, c.basicPassword) })).json()).toEqual({ username: c.basicUser })
    const wrong = await call('/me', { Authorization: basic(c.basicUser, 'nope') })
    expect(wrong.status).toBe(401)
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="pets", charset="UTF-8", error="invalid_token"')
    expect((await call('/me', { Authorization: 'Basic !!!' })).status).toBe(400)
  })

  test('opaque bearer route', async () => {
    const res = await call('/session', bearer(c.opaqueToken))
    expect(await res.json()).toEqual({ session: 'demo', scopes: ['pets:read'] })
    expect((await call('/session', bearer('unknown'))).status).toBe(401)
  })

  test('JWT route: a valid HS256 token passes; wrong audience or expired → 401', async () => {
    const claims = { sub: 'u1', iss: DEMO_ISSUER, aud: DEMO_AUDIENCE, iat: now(), exp: now() + 60, scope: 'pets:read' }
    const ok = await call('/token', bearer(await hs256(claims)))
    expect(ok.status).toBe(200)
    expect((await ok.json()).scopes).toEqual(['pets:read'])
    expect((await call('/token', bearer(await hs256({ ...claims, aud: 'other' })))).status).toBe(401)
    expect((await call('/token', bearer(await hs256({ ...claims, exp: now() - 600 })))).status).toBe(401)
  })

  test('OR route: any alternative passes and reports which; none → a challenge per scheme', async () => {
    expect((await (await call('/pets', { 'X-API-Key': c.apiKey })).json()).via).toBe(0)
    expect((await (await call('/pets', { Authorization: basic(c.basicUser, c.basicPassword) })).json()).via).toBe(1)
    expect((await (await call('/pets', bearer(c.opaqueToken))).json()).via).toBe(2)
    const none = await call('/pets')
    expect(none.status).toBe(401)
    const challenges = none.headers.get('www-authenticate') ?? ''
    expect(challenges).toStartWith('APIKey realm="pets", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8", Bearer realm="pets"')
    expect(challenges).not.toContain('error=')
  })

  test('AND route: the API key alone is not enough', async () => {
    expect((await call('/pets/1', { 'X-API-Key': c.apiKey }, 'DELETE')).status).toBe(401)
    const both = await call('/pets/1', { 'X-API-Key': c.apiKey, Authorization: basic(c.basicUser, c.basicPassword) }, 'DELETE')
    expect(both.status).toBe(200)
    expect(both.headers.get('vary')).toBe('X-API-Key, Authorization')
  })

  test('scoped route: pets:read token 403 insufficient_scope, pets:write token 201', async () => {
    const reader = await call('/pets', bearer(c.opaqueToken), 'POST', '{"name":"Kit"}')
    expect(reader.status).toBe(403)
    expect(reader.headers.get('www-authenticate')).toStartWith('Bearer realm="pets", error="insufficient_scope", scope="pets:write"')
    expect((await reader.json()).code).toBe('insufficient_scope')
    const writer = await call('/pets', bearer(c.writerToken), 'POST', '{"name":"Kit"}')
    expect(writer.status).toBe(201)
    expect((await writer.json()).name).toBe('Kit')
  })

  test("/openapi.json is a valid OpenAPI 3.1 document with each route's security", async () => {
    const doc = await (await call('/openapi.json')).json()
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['ApiKeyAuth', 'BasicAuth', 'OpaqueToken', 'JwtBearer'])
    expect(doc.paths['/pets/{id}'].delete.security).toEqual([{ ApiKeyAuth: [], BasicAuth: [] }])
    expect(doc.paths['/pets'].post.responses['403']).toBeDefined()
    expect(doc.paths['/health'].get.security).toEqual([])
    const result = await new Validator().validate(doc)
    expect(result.errors).toBeUndefined()
    expect(result.valid).toBe(true)
  })

  test('/docs serves Swagger UI and its assets locally', async () => {
    const page = await call('/docs')
    expect(page.headers.get('content-type')).toContain('text/html')
    expect(await page.text()).toContain("url: '/openapi.json'")
    const bundle = await call('/docs/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect((await bundle.text()).length).toBeGreaterThan(100_000)
  })

  test('unknown paths 404, wrong methods 405', async () => {
    expect((await call('/nope')).status).toBe(404)
    expect((await call('/health', {}, 'PUT')).status).toBe(405)
  })
})
