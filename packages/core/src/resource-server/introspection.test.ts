import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { jwtVerify } from 'jose'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { httpBearer } from '../schemes/http-bearer.js'
import { oauth2 } from '../schemes/oauth2.js'
import { createTestKey } from '../testing/index.js'
import type { RequestLike } from '../types.js'

const RESOURCE = 'https://api.example.com/mcp'
const now = () => Math.floor(Date.now() / 1000)
let server: Server
let endpoint = ''
let issuer = ''
let calls = 0
let lastRequest: { authorization: string | undefined; body: URLSearchParams } | undefined
/** token → the answer (or a status / delay) the endpoint gives. */
let answers: Record<string, unknown> = {}
let delay = 0
let status = 200

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let data = ''
    req.on('data', (chunk: Buffer) => (data += chunk.toString()))
    req.on('end', () => resolve(data))
  })

beforeAll(async () => {
  server = createServer((req, res) => {
    calls++
    void readBody(req).then(async (text) => {
      const body = new URLSearchParams(text)
      lastRequest = { authorization: req.headers.authorization, body }
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
      if (status !== 200) return void res.writeHead(status).end('oops')
      const answer = answers[body.get('token') ?? ''] ?? { active: false }
      res.writeHead(200, { 'content-type': 'application/json' }).end(typeof answer === 'string' ? answer : JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  endpoint = `${issuer}/introspect`
})
afterAll(() => new Promise((resolve) => server.close(resolve)))
beforeEach(() => {
  calls = 0
  delay = 0
  status = 200
  answers = {}
})

const request = (token: string): RequestLike => ({ method: 'GET', url: '/mcp', headers: { get: (name) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : null) } })
const client = { clientId: 'rs client', clientSecret: 'secret:with/odd+chars' }

function build(extra: Record<string, unknown> = {}) {
  return createAuth({
    resource: RESOURCE,
    schemes: { Opaque: httpBearer({ introspection: { endpoint, client, issuer, timeoutDuration: 1000, ...extra } }) },
    security: [{ Opaque: ['mcp:read'] }],
  })
}
const active = (claims: Record<string, unknown> = {}) => ({ active: true, iss: issuer, aud: RESOURCE, scope: 'mcp:read mcp:write', exp: now() + 600, sub: 'user-1', ...claims })

describe('RFC 7662 introspection (httpBearer({ introspection }))', () => {
  it('an active token → 200 with the answer as claims and its scopes; the client authenticates with client_secret_basic', async () => {
    answers.tok1 = active()
    const result = await build().authenticate(request('tok1'))
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.scopes).toEqual(['mcp:read', 'mcp:write'])
    expect(result.principals.Opaque).toMatchObject({ token: 'tok1', claims: { sub: 'user-1', active: true } })
    // RFC 6749 §2.3.1: id and secret are form-encoded before Basic.
    expect(lastRequest!.authorization).toBe(`Basic ${btoa('rs+client:secret%3Awith%2Fodd%2Bchars')}`)
    expect(lastRequest!.body.get('token')).toBe('tok1')
  })

  it('inactive, expired, not yet valid, wrong iss, another resource, no aud → 401 invalid_token', async () => {
    const cases = {
      inactive: { active: false },
      activeString: { ...active(), active: 'true' },
      expired: active({ exp: now() - 60 }),
      future: active({ nbf: now() + 600 }),
      iss: active({ iss: 'https://evil.test' }),
      aud: active({ aud: 'https://other.example.com/mcp' }),
      noAud: active({ aud: undefined }),
    }
    Object.assign(answers, cases)
    const auth = build()
    for (const name of Object.keys(cases)) {
      answers[`tk-${name}-0123456789`] = answers[name]
      const result = await auth.authenticate(request(`tk-${name}-0123456789`))
      expect(result.ok || [result.status, result.code], name).toEqual([401, 'invalid_token'])
      expect(JSON.stringify(result.ok || result.problem)).not.toContain('0123456789')
    }
  })

  it('a missing scope → 403 insufficient_scope', async () => {
    answers.narrow = active({ scope: 'other' })
    const result = await build().authenticate(request('narrow'))
    expect(result.ok || [result.status, result.code]).toEqual([403, 'insufficient_scope'])
  })

  it('answers are cached (≤ maxTtl, ≤ exp); inactive ones for negativeTtl; concurrent requests share one call', async () => {
    answers.hot = active()
    const auth = build({ cache: { maxTtl: 60, negativeTtl: 0.2 } })
    const results = await Promise.all(Array.from({ length: 5 }, () => auth.authenticate(request('hot'))))
    expect(results.every((r) => r.ok)).toBe(true)
    expect(calls).toBe(1)
    expect((await auth.authenticate(request('hot'))).ok).toBe(true)
    expect(calls).toBe(1)
    await auth.authenticate(request('cold'))
    await auth.authenticate(request('cold'))
    expect(calls).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 250))
    await auth.authenticate(request('cold'))
    expect(calls).toBe(3)
    // A token that expires in 1 s is not served from the cache after that.
    answers.short = active({ exp: now() + 1 })
    const strict = build({ clockTolerance: 0 })
    expect((await strict.authenticate(request('short'))).ok).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 1100))
    answers.short = active({ exp: now() + 600, scope: 'none' })
    expect((await strict.authenticate(request('short'))).ok).toBe(false)
  })

  it('endpoint errors, non-JSON answers and timeouts → 503 with Retry-After, never a grant, no token in the body', async () => {
    answers.any = active()
    status = 500
    const first = await build().authenticate(request('any'))
    expect(first.ok || [first.status, first.headers['Retry-After']]).toEqual([503, '5'])
    status = 200
    answers.garbage = 'not json'
    expect((await build().authenticate(request('garbage'))).ok || 'failed').toBe('failed')
    delay = 1200
    const slow = await build().authenticate(request('any'))
    expect(slow.ok || [slow.status, slow.problem.detail]).toEqual([503, expect.not.stringContaining('any')])
    const unreachable = createAuth({ schemes: { O: httpBearer({ introspection: { endpoint: 'http://127.0.0.1:1/introspect', client, issuer: false, audience: false } }) } })
    const down = await unreachable.authenticate(request('tok'), [{ O: [] }])
    expect(down.ok || down.status).toBe(503)
  })

  it('private_key_jwt: the endpoint gets a client assertion signed with the client key, aud = issuer', async () => {
    const key = await createTestKey('ES256')
    answers.pk = active()
    const auth = createAuth({
      resource: RESOURCE,
      schemes: { O: oauth2({ flows: { clientCredentials: { tokenUrl: '/token', scopes: { 'mcp:read': 'Read' } } }, introspection: { endpoint, issuer, client: { method: 'private_key_jwt', clientId: 'rs', privateKey: key.privateJwk, algorithm: 'ES256', keyId: key.kid } } }) },
    })
    expect((await auth.authenticate(request('pk'), [{ O: ['mcp:read'] }])).ok).toBe(true)
    const body = lastRequest!.body
    expect(lastRequest!.authorization).toBeUndefined()
    expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
    const { payload } = await jwtVerify(body.get('client_assertion')!, key.publicKey, { issuer: 'rs', subject: 'rs', audience: issuer })
    expect(typeof payload.jti).toBe('string')
    expect(auth.protectedResourceMetadata().authorization_servers).toEqual([issuer])
  })

  it('configuration is checked at creation', () => {
    const bad = [
      { endpoint: 'nope', client, issuer },
      { endpoint, client: { clientId: 'x' }, issuer },
      { endpoint, client, issuer: undefined },
      { endpoint, client, issuer, timeoutDuration: 0 },
      { endpoint, client, issuer, cache: { max: 0 } },
      { endpoint, client, issuer, endpointUrl: 'x' },
      { endpoint, client: { method: 'private_key_jwt', clientId: 'x', privateKey: { kty: 'EC' }, algorithm: 'ES256' }, issuer },
    ]
    for (const introspection of bad) expect(() => httpBearer({ introspection } as never), JSON.stringify(introspection)).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(() => httpBearer({ introspection: { endpoint, client, issuer }, verify: () => null } as never)).toThrow(/exactly one/)
    // No audience and no resource: refused at createAuth.
    expect(() => createAuth({ schemes: { O: httpBearer({ introspection: { endpoint, client, issuer } }) } })).toThrow(/audience is required/)
  })
})
