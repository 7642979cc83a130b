/**
 * docs/design.md's public contract, point by point, against the core's source: the public API
 * example, the request shape the core may read, config-time errors and their codes, the
 * units of the JWT and remote-key numbers, challenges and the problem+json body.
 */
import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  apiKey,
  AuthspecError,
  createAuth,
  fromOpenAPI,
  httpBasic,
  httpBearer,
  isAuthspecError,
  jwtBearer,
  oauth2,
  openIdConnect,
  type RequestLike,
} from '../../src/index.js'

const SECRET = 'contract-secret-of-at-least-32-bytes!!'
const key = new TextEncoder().encode(SECRET)
const hs = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(key)
const now = () => Math.floor(Date.now() / 1000)

function configCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return isAuthspecError(error) ? error.code : `not an AuthspecError: ${String(error)}`
  }
  return undefined
}

/** A request object exposing only `method`, `url` and `headers.get`; touching anything else throws. */
function strictRequest(url: string, headers: Record<string, string> = {}): RequestLike {
  const map = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
  const headersObject = new Proxy(
    { get: (name: string) => map.get(name.toLowerCase()) ?? null },
    {
      get(target, prop) {
        if (prop === 'get') return target.get
        throw new Error(`core read headers.${String(prop)}`)
      },
    },
  )
  return new Proxy({ method: 'GET', url, headers: headersObject } as RequestLike, {
    get(target, prop) {
      if (prop === 'method' || prop === 'url' || prop === 'headers') return target[prop]
      if (prop === 'then') return undefined // awaited values are probed for `then`
      throw new Error(`core read request.${String(prop)}`)
    },
  })
}

describe('DESIGN public API example', () => {
  const auth = createAuth({
    schemes: {
      ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', verify: (k) => (k === 'key-1' ? { app: 'ci' } : null) }),
      BasicAuth: httpBasic({ realm: 'pets', verify: ({ username, password }) => (username === 'u' && password === 'p' ? { username } : null) }),
      Opaque: httpBearer({ verify: (t) => (t === 'tok' ? { scopes: ['a'] } : null), scopes: (p) => p.scopes }),
      Jwt: jwtBearer({ algorithms: ['RS256'], jwksUri: 'https://issuer.invalid/jwks.json', issuer: 'https://issuer', audience: 'api' }),
      OAuth2: oauth2({
        flows: { clientCredentials: { tokenUrl: 'https://issuer.invalid/token', scopes: { 'pets:read': 'Read' } } },
        token: { algorithms: ['RS256'], jwksUri: 'https://issuer.invalid/jwks.json', issuer: 'https://issuer', audience: 'api' },
      }),
      Oidc: openIdConnect({ openIdConnectUrl: 'https://issuer.invalid/.well-known/openid-configuration', algorithms: ['RS256'], audience: 'api' }),
    },
    security: [{ Jwt: [] }],
  })

  it('authenticate → principals of the passing alternative, its index and scopes', async () => {
    const result = await auth.authenticate(
      new Request('http://x/pets', { headers: { 'x-api-key': 'key-1', authorization: `Basic ${btoa('u:p')}` } }),
      [{ OAuth2: ['pets:read'] }, { ApiKeyAuth: [], BasicAuth: [] }],
    )
    expect(result).toMatchObject({ ok: true, alternative: 1, scopes: [], principals: { ApiKeyAuth: { app: 'ci' }, BasicAuth: { username: 'u' } } })
  })

  it('a failure carries a ready Response: status, WWW-Authenticate, problem+json {type,title,status,detail,code}', async () => {
    const result = await auth.authenticate(new Request('http://x/pets'), [{ OAuth2: ['pets:read'] }, { ApiKeyAuth: [], BasicAuth: [] }])
    if (result.ok) throw new Error('expected a failure')
    const response = result.response
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", APIKey realm="api", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
    const body = (await response.json()) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'status', 'title', 'type'])
    expect(body).toMatchObject({ status: 401, code: 'credentials_missing' })
  })

  it('openapi({ version: "3.1" }) → components.securitySchemes for every scheme and the default security', () => {
    const out = auth.openapi({ version: '3.1' })
    expect(Object.keys(out.components.securitySchemes)).toEqual(['ApiKeyAuth', 'BasicAuth', 'Opaque', 'Jwt', 'OAuth2', 'Oidc'])
    expect(out.security).toEqual([{ Jwt: [] }])
    expect(out.components.securitySchemes.Oidc).toEqual({ type: 'openIdConnect', openIdConnectUrl: 'https://issuer.invalid/.well-known/openid-configuration' })
  })

  it('operation(requirement) → { security, responses } with 401 and 403', () => {
    const out = auth.operation([{ OAuth2: ['pets:read'] }])
    expect(out.security).toEqual([{ OAuth2: ['pets:read'] }])
    expect(Object.keys(out.responses)).toEqual(expect.arrayContaining(['401', '403']))
  })
})

describe('DESIGN: the core reads only method, url and headers.get()', () => {
  const auth = createAuth({
    schemes: {
      Header: apiKey({ in: 'header', name: 'X-Key', keys: { a: 'key-0123456789' } }),
      Query: apiKey({ in: 'query', name: 'key', keys: { a: 'key-0123456789' } }),
      Cookie: apiKey({ in: 'cookie', name: 'sid', keys: { a: 'key-0123456789' } }),
      Basic: httpBasic({ users: { u: 'password-1' } }),
      Bearer: httpBearer({ verify: (t, ctx) => (t === 'tok' ? { url: ctx.request.url } : null), allowQuery: true }),
    },
  })
  it.each([
    ['header key', 'http://x/p', { 'x-key': 'key-0123456789' }, [{ Header: [] }]],
    ['query key', 'http://x/p?key=key-0123456789', {}, [{ Query: [] }]],
    ['cookie key', 'http://x/p', { cookie: 'a=1; sid=key-0123456789' }, [{ Cookie: [] }]],
    ['basic', 'http://x/p', { authorization: `Basic ${btoa('u:password-1')}` }, [{ Basic: [] }]],
    ['bearer (query allowed)', 'http://x/p?access_token=tok', {}, [{ Bearer: [] }]],
  ] as const)('%s passes with a request object that has nothing else', async (_name, url, headers, requirement) => {
    const result = await auth.authenticate(strictRequest(url, headers), requirement)
    expect(result.ok).toBe(true)
  })
  it('and a failure is built from the same three', async () => {
    const result = await auth.authenticate(strictRequest('http://x/p'), [{ Header: [] }, { Basic: [] }])
    expect(result).toMatchObject({ ok: false, status: 401 })
  })
})

describe('DESIGN: verify results and ctx', () => {
  it('ctx carries { request, env, scopes }', async () => {
    let seen: unknown
    const auth = createAuth({
      schemes: { T: httpBearer({ verify: (_t, ctx) => ((seen = ctx), { scopes: ['s'] }), scopes: (p) => p.scopes }) },
    })
    const request = new Request('http://x/', { headers: { authorization: 'Bearer tok' } })
    await auth.authenticate(request, [{ T: ['s'] }], { env: { KV: 1 } })
    expect(seen).toEqual({ request, env: { KV: 1 }, scopes: ['s'] })
  })

  it.each([
    ['returns true', () => true],
    ['returns a string', () => 'yes'],
    ['throws', () => {
      throw new Error('db down')
    }],
  ])('a verify that %s rejects with ERR_AUTHSPEC_VERIFY, never a grant', async (_name, verify) => {
    const auth = createAuth({ schemes: { T: httpBearer({ verify: verify as never }) } })
    const outcome = auth.authenticate(new Request('http://x/', { headers: { authorization: 'Bearer tok' } }), [{ T: [] }])
    await expect(outcome).rejects.toMatchObject({ name: 'AuthspecError', code: 'ERR_AUTHSPEC_VERIFY' })
  })

  it('the thrown error is kept as cause', async () => {
    const cause = new Error('db down')
    const auth = createAuth({
      schemes: { T: httpBearer({ verify: () => {
        throw cause
      } }) },
    })
    const error = await auth.authenticate(new Request('http://x/', { headers: { authorization: 'Bearer tok' } }), [{ T: [] }]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AuthspecError)
    expect((error as AuthspecError).cause).toBe(cause)
  })

  it('null and undefined reject with 401 invalid_token', async () => {
    for (const value of [null, undefined]) {
      const auth = createAuth({ schemes: { T: httpBearer({ verify: () => value }) } })
      const result = await auth.authenticate(new Request('http://x/', { headers: { authorization: 'Bearer tok' } }), [{ T: [] }])
      expect(result).toMatchObject({ ok: false, status: 401, code: 'invalid_token' })
    }
  })
})

describe('DESIGN: configuration errors throw ERR_AUTHSPEC_CONFIG at creation', () => {
  const jwt = { issuer: 'i', audience: 'a' } as const
  it.each([
    ['unknown scheme name in a requirement', () => createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-K', keys: { a: 'k-0123456789' } }) } }).prepare([{ Nope: [] }] as never)],
    ['oauth2 scope not declared in the flows', () =>
      createAuth({
        schemes: { O: oauth2({ flows: { clientCredentials: { tokenUrl: '/t', scopes: { read: 'r' } } }, verify: () => ({}) }) },
      }).prepare([{ O: ['write'] }] as never)],
    ['JWT scheme without algorithms', () => jwtBearer({ ...jwt, secret: SECRET } as never)],
    ['HS* with a JWKS', () => jwtBearer({ ...jwt, algorithms: ['HS256'], jwksUri: 'https://x/jwks.json' })],
    ['empty HMAC secret', () => jwtBearer({ ...jwt, algorithms: ['HS256'], secret: '' })],
    ['HMAC secret shorter than the hash', () => jwtBearer({ ...jwt, algorithms: ['HS512'], secret: SECRET })],
    ['missing verifier', () => httpBearer({} as never)],
    ['missing issuer (not explicitly false)', () => jwtBearer({ algorithms: ['HS256'], secret: SECRET, audience: 'a' } as never)],
    ['clockTolerance above 300 s', () => jwtBearer({ ...jwt, algorithms: ['HS256'], secret: SECRET, clockTolerance: 301 })],
    ['clockTolerance not finite', () => jwtBearer({ ...jwt, algorithms: ['HS256'], secret: SECRET, clockTolerance: Infinity })],
    ['apiKey header name that is not an HTTP token', () => apiKey({ in: 'header', name: 'X Key', keys: { a: 'k-0123456789' } })],
    ['a requirement given to requireAuth-style prepare that is not an array', () =>
      createAuth({ schemes: { K: apiKey({ in: 'header', name: 'X-K', keys: { a: 'k-0123456789' } }) } }).prepare({ K: [] } as never)],
  ])('%s', (_name, fn) => {
    expect(configCode(fn)).toBe('ERR_AUTHSPEC_CONFIG')
  })

  it('issuer and audience may be skipped only with an explicit false', () => {
    expect(configCode(() => jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: false, audience: false }))).toBeUndefined()
  })
})

describe('DESIGN: challenges', () => {
  it('realm: scheme option, else createAuth({ realm }), else "api"; error only on the rejected scheme', async () => {
    const auth = createAuth({
      realm: 'shop',
      schemes: {
        K: apiKey({ in: 'header', name: 'X-K', keys: { a: 'key-0123456789' } }),
        B: httpBasic({ realm: 'admins', users: { u: 'password-1' } }),
      },
    })
    const result = await auth.authenticate(new Request('http://x/', { headers: { 'x-k': 'wrong' } }), [{ K: [] }, { B: [] }])
    expect(result).toMatchObject({
      ok: false,
      status: 401,
      challenges: ['APIKey realm="shop", in="header", name="X-K", error="invalid_token"', 'Basic realm="admins", charset="UTF-8"'],
    })
    const plain = createAuth({ schemes: { K: apiKey({ in: 'query', name: 'k', keys: { a: 'key-0123456789' } }) } })
    expect(await plain.authenticate(new Request('http://x/'), [{ K: [] }])).toMatchObject({ challenges: ['APIKey realm="api", in="query", name="k"'] })
  })

  it('403 names the scopes the requirement asks of the deciding scheme', async () => {
    const auth = createAuth({ schemes: { T: httpBearer({ verify: () => ({ s: ['a'] }), scopes: (p) => p.s }) } })
    const result = await auth.authenticate(new Request('http://x/', { headers: { authorization: 'bearer tok' } }), [{ T: ['a', 'b'] }])
    expect(result).toMatchObject({ ok: false, status: 403, code: 'insufficient_scope', challenges: ['Bearer realm="api", error="insufficient_scope", scope="a b"'] })
  })
})

describe('DESIGN: JWT numbers and principal', () => {
  const make = (extra: Record<string, unknown> = {}) =>
    createAuth({ schemes: { J: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'iss', audience: 'api', cache: false, ...extra }) } })
  const send = async (auth: ReturnType<typeof make>, token: string) =>
    auth.authenticate(new Request('http://x/', { headers: { authorization: `Bearer ${token}` } }), [{ J: [] }])

  it('the principal is { token, header, claims } and scopes come from scope / scp / permissions', async () => {
    const token = await hs({ iss: 'iss', aud: 'api', exp: now() + 60, scope: 'a b', scp: ['c'], permissions: ['d'] })
    const result = await send(make(), token)
    if (!result.ok) throw new Error(result.problem.detail)
    expect(result.principals.J).toMatchObject({ token, header: { alg: 'HS256' }, claims: { iss: 'iss' } })
    expect([...result.scopes].sort()).toEqual(['a', 'b', 'c', 'd'])
  })

  it('clockTolerance is in seconds (default 5)', async () => {
    const expiredBy3 = await hs({ iss: 'iss', aud: 'api', exp: now() - 3 })
    expect((await send(make(), expiredBy3)).ok).toBe(true)
    expect((await send(make({ clockTolerance: 0 }), expiredBy3)).ok).toBe(false)
    const expiredBy20 = await hs({ iss: 'iss', aud: 'api', exp: now() - 20 })
    expect((await send(make(), expiredBy20)).ok).toBe(false)
  })

  it('maxTokenAge is in seconds', async () => {
    const token = await hs({ iss: 'iss', aud: 'api', iat: now() - 30, exp: now() + 60 })
    expect((await send(make({ maxTokenAge: 60 }), token)).ok).toBe(true)
    expect((await send(make({ maxTokenAge: 10 }), token)).ok).toBe(false)
  })

  it('any typ is accepted unless the typ option asks for one', async () => {
    const token = await hs({ iss: 'iss', aud: 'api', exp: now() + 60 }, { typ: 'at+jwt' })
    const other = await hs({ iss: 'iss', aud: 'api', exp: now() + 60 }, { typ: 'JWT' })
    expect((await send(make(), token)).ok).toBe(true)
    expect((await send(make(), other)).ok).toBe(true)
    expect((await send(make({ typ: 'at+jwt' }), other)).ok).toBe(false)
  })

  it('remoteKeys.timeoutDuration is in milliseconds: a hanging JWKS answers 503 with Retry-After, quickly', async () => {
    const auth = createAuth({
      schemes: {
        J: jwtBearer({
          algorithms: ['RS256'],
          jwksUri: 'https://issuer.invalid/jwks.json',
          issuer: 'iss',
          audience: 'api',
          remoteKeys: { timeoutDuration: 100, fetch: (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted')))) },
        }),
      },
    })
    const token = `${btoa(JSON.stringify({ alg: 'RS256', kid: 'k' })).replace(/=+$/, '')}.${btoa(JSON.stringify({ iss: 'iss', aud: 'api' })).replace(/=+$/, '')}.c2ln`
    const started = Date.now()
    const result = await auth.authenticate(new Request('http://x/', { headers: { authorization: `Bearer ${token}` } }), [{ J: [] }])
    expect(Date.now() - started).toBeLessThan(3000)
    expect(result).toMatchObject({ ok: false, status: 503, code: 'temporarily_unavailable' })
    if (!result.ok) expect(result.headers['Retry-After']).toMatch(/^\d+$/)
    await expect(auth.warmup()).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_UNAVAILABLE' })
  })
})

describe('DESIGN: fromOpenAPI', () => {
  const document = {
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/a': { get: { responses: {} }, post: { security: [{ K: [] }], responses: {} } },
      '/b/{id}': { get: { security: [], responses: {} } },
    },
    components: { securitySchemes: { K: { type: 'apiKey', in: 'header', name: 'X-K', description: 'key', 'x-internal': true } } },
  }
  const verifiers = { K: { keys: { a: 'key-0123456789' } } }

  it('requirementFor: any method casing; operation security over document security; none anywhere → []', () => {
    const auth = fromOpenAPI(document, { verifiers })
    expect(auth.requirementFor('post', '/a')).toEqual([{ K: [] }])
    expect(auth.requirementFor('GET', '/a')).toEqual([])
    expect(auth.requirementFor('Get', '/b/7')).toEqual([])
  })

  it('round trip keeps description and x- extensions', () => {
    expect(fromOpenAPI(document, { verifiers }).openapi().components.securitySchemes.K).toEqual({
      type: 'apiKey',
      in: 'header',
      name: 'X-K',
      description: 'key',
      'x-internal': true,
    })
  })

  it('undeclared schemes and undeclared oauth2 scopes are refused in one config error listing them all', () => {
    const bad = {
      ...document,
      security: [{ Ghost: [] }],
      paths: { '/a': { get: { security: [{ O: ['nope'] }, { Phantom: [] }], responses: {} } } },
      components: {
        securitySchemes: {
          ...document.components.securitySchemes,
          O: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: { read: 'r' } } } },
        },
      },
    }
    let error: unknown
    try {
      // @ts-expect-error Ghost and Phantom are used but not declared: at compile time too, only a Scheme could stand for them
      fromOpenAPI(bad, { verifiers: { ...verifiers, O: { verify: () => ({}) } } })
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ code: 'ERR_AUTHSPEC_CONFIG' })
    const message = (error as Error).message
    expect(message).toContain('Ghost')
    expect(message).toContain('Phantom')
    expect(message).toContain('nope')
  })
})
