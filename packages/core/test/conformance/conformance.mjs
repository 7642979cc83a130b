// Portable conformance checks of @authspec/core: plain JavaScript, Web APIs only, no test
// framework. The same file runs on Node 20, Node 24, Bun, Deno and workerd (bundled); see
// ../runtimes.test.ts. `runConformance(core)` returns { runtime, passed, failed } and never throws.

class CheckError extends Error {}

function assert(condition, message) {
  if (!condition) throw new CheckError(message)
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  if (a !== e) throw new CheckError(`${what}: expected ${e}, got ${a}`)
}

const req = (path, headers = {}) => new Request(`https://api.test${path}`, { headers })
const basic = (user, password) => {
  const bytes = new TextEncoder().encode(`${user}:${password}`)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return `Basic ${btoa(binary)}`
}
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')
const jsonPart = (value) => b64url(new TextEncoder().encode(JSON.stringify(value)))

async function hs256(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${jsonPart(header)}.${jsonPart(payload)}`
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input)))
  return `${input}.${b64url(signature)}`
}

async function rejects(promise, code, what) {
  try {
    await promise
  } catch (error) {
    equal(error && error.code, code, `${what} error code`)
    return error
  }
  throw new CheckError(`${what}: expected a rejection with ${code}`)
}

function throws(fn, code, what) {
  try {
    fn()
  } catch (error) {
    equal(error && error.code, code, `${what} error code`)
    equal(error && error.name, 'AuthspecError', `${what} error name`)
    return
  }
  throw new CheckError(`${what}: expected a throw with ${code}`)
}

function runtimeName() {
  const g = globalThis
  if (typeof g.Bun !== 'undefined') return `bun ${g.Bun.version}`
  if (typeof g.Deno !== 'undefined') return `deno ${g.Deno.version.deno}`
  if (typeof g.navigator !== 'undefined' && g.navigator.userAgent === 'Cloudflare-Workers') return 'workerd'
  if (typeof g.process !== 'undefined' && g.process.versions && g.process.versions.node) return `node ${g.process.versions.node}`
  return 'unknown'
}

const JWT_SECRET = 'conformance-secret-of-at-least-32-bytes!'

function makeAuth(core) {
  const { createAuth, apiKey, httpBasic, httpBearer } = core
  const sessions = { 'tok-read': { sub: 'r', scopes: ['pets:read'] }, 'tok-all': { sub: 'a', scopes: ['pets:read', 'pets:write'] } }
  const flaky = {
    type: 'http',
    scopeMode: 'none',
    varyHeaders: ['X-Flaky'],
    extract: (view) => (view.header('x-flaky') === null ? { state: 'absent' } : { state: 'present', credential: view.header('x-flaky') }),
    verify: () => ({ ok: false, reason: 'unavailable', retryAfter: 7 }),
    challenge: ({ realm }) => `Flaky realm="${realm}"`,
    toOpenAPI: () => ({ type: 'http', scheme: 'flaky' }),
  }
  const schemes = {
    Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'k-123' } }),
    QueryKey: apiKey({ in: 'query', name: 'api_key', verify: (key) => (key === 'q-1' ? { key } : null) }),
    CookieKey: apiKey({ in: 'cookie', name: 'sid', keys: { web: 'c-1' } }),
    Basic: httpBasic({ realm: 'pets', users: { Aladdin: 'open sesame', test: '123£', colon: 'a:b:c' } }),
    Opaque: httpBearer({ verify: (token) => sessions[token] ?? null, scopes: (s) => s.scopes, allowQuery: true }),
    Throws: httpBearer({ verify: () => { throw new Error('db down') } }),
    Truthy: apiKey({ in: 'header', name: 'X-Truthy', verify: () => true }),
    Flaky: flaky,
  }
  if (typeof core.jwtBearer === 'function') {
    schemes.Jwt = core.jwtBearer({ algorithms: ['HS256'], secret: JWT_SECRET, issuer: 'https://issuer.test', audience: 'api' })
  }
  return createAuth({ schemes })
}

/** The checks: [name, async (core, auth) => void]. */
const CHECKS = [
  ['exports the public API', (core) => {
    for (const name of ['createAuth', 'apiKey', 'httpBasic', 'httpBearer', 'jwtBearer', 'AuthspecError', 'isAuthspecError', 'timingSafeEqual']) {
      assert(typeof core[name] === 'function', `missing export ${name}`)
    }
  }],
  ['apiKey header: valid key grants the static principal', async (_c, auth) => {
    const r = await auth.authenticate(req('/', { 'X-API-Key': 'k-123' }), [{ Key: [] }])
    equal(r.ok, true, 'ok')
    equal(r.principals.Key, { id: 'ci' }, 'principal')
    equal(r.alternative, 0, 'alternative')
  }],
  ['apiKey header: missing → 401 credentials_missing with an APIKey challenge', async (_c, auth) => {
    const r = await auth.authenticate(req('/'), [{ Key: [] }])
    equal([r.ok, r.status, r.code], [false, 401, 'credentials_missing'], 'failure')
    equal(r.headers['WWW-Authenticate'], ['APIKey realm="api", in="header", name="X-API-Key"'], 'challenge')
  }],
  ['apiKey header: wrong key → 401 invalid_token, error only on that challenge', async (_c, auth) => {
    const r = await auth.authenticate(req('/', { 'X-API-Key': 'nope' }), [{ Key: [] }])
    equal([r.status, r.code], [401, 'invalid_token'], 'failure')
    equal(r.challenges[0], 'APIKey realm="api", in="header", name="X-API-Key", error="invalid_token"', 'challenge')
  }],
  ['apiKey header repeated with different values → 400', async (_c, auth) => {
    const headers = new Headers()
    headers.append('X-API-Key', 'k-123')
    headers.append('X-API-Key', 'other')
    const r = await auth.authenticate(new Request('https://api.test/', { headers }), [{ Key: [] }])
    equal([r.status, r.code], [400, 'invalid_request'], 'failure')
  }],
  ['apiKey query: read from the URL; repeated with different values → 400', async (_c, auth) => {
    const ok = await auth.authenticate(req('/pets?x=1&api_key=q-1'), [{ QueryKey: [] }])
    equal(ok.principals.QueryKey, { key: 'q-1' }, 'principal')
    const bad = await auth.authenticate(req('/pets?api_key=q-1&api_key=q-2'), [{ QueryKey: [] }])
    equal(bad.status, 400, 'ambiguous status')
    const encoded = await auth.authenticate(req('/pets?api%5Fkey=q%2D1'), [{ QueryKey: [] }])
    equal(encoded.ok, true, 'percent-encoded name and value')
  }],
  ['apiKey cookie: case-sensitive name, quoted values unquoted', async (_c, auth) => {
    equal((await auth.authenticate(req('/', { Cookie: 'a=1; sid=c-1' }), [{ CookieKey: [] }])).ok, true, 'plain cookie')
    equal((await auth.authenticate(req('/', { Cookie: 'sid="c-1"' }), [{ CookieKey: [] }])).ok, true, 'quoted cookie')
    equal((await auth.authenticate(req('/', { Cookie: 'SID=c-1' }), [{ CookieKey: [] }])).code, 'credentials_missing', 'other case')
    equal((await auth.authenticate(req('/', { Cookie: 'sid=c-1; sid=x' }), [{ CookieKey: [] }])).status, 400, 'duplicate')
  }],
  ['Basic: RFC 7617 Aladdin and UTF-8 test:123£, passwords with colons', async (_c, auth) => {
    const aladdin = await auth.authenticate(req('/', { Authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' }), [{ Basic: [] }])
    equal(aladdin.principals.Basic, { username: 'Aladdin' }, 'Aladdin')
    const utf8 = await auth.authenticate(req('/', { Authorization: 'Basic dGVzdDoxMjPCow==' }), [{ Basic: [] }])
    equal(utf8.principals.Basic, { username: 'test' }, 'test:123£')
    equal((await auth.authenticate(req('/', { Authorization: basic('colon', 'a:b:c') }), [{ Basic: [] }])).ok, true, 'colons')
  }],
  ['Basic: wrong password 401 with realm and charset; bad base64 or no colon 400', async (_c, auth) => {
    const wrong = await auth.authenticate(req('/', { Authorization: basic('Aladdin', 'x') }), [{ Basic: [] }])
    equal(wrong.challenges, ['Basic realm="pets", charset="UTF-8", error="invalid_token"'], 'challenge')
    equal((await auth.authenticate(req('/', { Authorization: 'Basic %%%' }), [{ Basic: [] }])).status, 400, 'bad base64')
    equal((await auth.authenticate(req('/', { Authorization: `Basic ${btoa('nocolon')}` }), [{ Basic: [] }])).status, 400, 'no colon')
    equal((await auth.authenticate(req('/', { Authorization: 'Basic /w==' }), [{ Basic: [] }])).status, 400, 'invalid UTF-8')
  }],
  ['Bearer: scheme name case-insensitive; bad syntax 400; unknown token 401', async (_c, auth) => {
    equal((await auth.authenticate(req('/', { Authorization: 'bearer tok-read' }), [{ Opaque: [] }])).ok, true, 'lowercase')
    equal((await auth.authenticate(req('/', { Authorization: 'Bearer  tok-read' }), [{ Opaque: [] }])).ok, true, 'two spaces (1*SP)')
    equal((await auth.authenticate(req('/', { Authorization: 'Bearer\ttok-read' }), [{ Opaque: [] }])).status, 400, 'tab')
    equal((await auth.authenticate(req('/', { Authorization: 'Bearer tok read' }), [{ Opaque: [] }])).status, 400, 'space in token')
    equal((await auth.authenticate(req('/', { Authorization: 'Bearer' }), [{ Opaque: [] }])).status, 400, 'no token')
    const unknown = await auth.authenticate(req('/', { Authorization: 'Bearer nope' }), [{ Opaque: [] }])
    equal([unknown.status, unknown.challenges], [401, ['Bearer realm="api", error="invalid_token"']], 'unknown token')
  }],
  ['Bearer: access_token query when allowed; header and query at once → 400', async (_c, auth) => {
    equal((await auth.authenticate(req('/?access_token=tok-read'), [{ Opaque: [] }])).ok, true, 'query token')
    const both = await auth.authenticate(req('/?access_token=tok-read', { Authorization: 'Bearer tok-read' }), [{ Opaque: [] }])
    equal(both.status, 400, 'both places')
  }],
  ['two Authorization fields (joined by Headers) → 400', async (_c, auth) => {
    const headers = new Headers()
    headers.append('Authorization', 'Bearer tok-read')
    headers.append('Authorization', 'Bearer tok-all')
    equal((await auth.authenticate(new Request('https://api.test/', { headers }), [{ Opaque: [] }])).status, 400, 'status')
  }],
  ['scopes: missing scope → 403 insufficient_scope with scope="…"', async (_c, auth) => {
    const r = await auth.authenticate(req('/', { Authorization: 'Bearer tok-read' }), [{ Opaque: ['pets:write'] }])
    equal([r.status, r.code], [403, 'insufficient_scope'], 'failure')
    equal(r.challenges, ['Bearer realm="api", error="insufficient_scope", scope="pets:write"'], 'challenge')
    const ok = await auth.authenticate(req('/', { Authorization: 'Bearer tok-all' }), [{ Opaque: ['pets:write'] }])
    equal(ok.scopes, ['pets:read', 'pets:write'], 'granted scopes')
  }],
  ['OR: the first passing alternative wins and is reported', async (_c, auth) => {
    const r = await auth.authenticate(req('/', { 'X-API-Key': 'k-123' }), [{ Opaque: [] }, { Key: [] }])
    equal([r.ok, r.alternative, Object.keys(r.principals)], [true, 1, ['Key']], 'second alternative')
    const none = await auth.authenticate(req('/'), [{ Opaque: [] }, { Key: [] }])
    equal(none.challenges, ['Bearer realm="api"', 'APIKey realm="api", in="header", name="X-API-Key"'], 'a challenge per scheme')
  }],
  ['AND: every scheme of the alternative is required', async (_c, auth) => {
    const one = await auth.authenticate(req('/', { 'X-API-Key': 'k-123' }), [{ Key: [], Basic: [] }])
    equal([one.status, one.code], [401, 'credentials_missing'], 'one credential')
    const both = await auth.authenticate(req('/', { 'X-API-Key': 'k-123', Authorization: basic('test', '123£') }), [{ Key: [], Basic: [] }])
    equal(Object.keys(both.principals).sort(), ['Basic', 'Key'], 'both principals')
  }],
  ['precedence: 400 beats 403 beats 401 invalid beats 401 missing', async (_c, auth) => {
    const h = { Authorization: 'Bearer tok-read', 'X-API-Key': 'nope' }
    equal((await auth.authenticate(req('/', h), [{ Key: [] }, { Opaque: ['pets:write'] }])).status, 403, '403 over invalid')
    equal((await auth.authenticate(req('/?api_key=a&api_key=b', h), [{ Opaque: ['pets:write'] }, { QueryKey: [] }])).status, 400, '400 over 403')
    equal((await auth.authenticate(req('/', { 'X-API-Key': 'nope' }), [{ Basic: [] }, { Key: [] }])).code, 'invalid_token', 'invalid over missing')
  }],
  ['503: unavailable verifier → Retry-After, no challenge, never a grant', async (_c, auth) => {
    const r = await auth.authenticate(req('/', { 'X-Flaky': '1' }), [{ Flaky: [] }])
    equal([r.ok, r.status, r.code, r.headers['Retry-After']], [false, 503, 'temporarily_unavailable', '7'], 'failure')
    equal(r.headers['WWW-Authenticate'], undefined, 'no challenge')
  }],
  ['public [] and empty {} requirements pass', async (_c, auth) => {
    equal((await auth.authenticate(req('/'), [])).alternative, -1, 'public')
    equal((await auth.authenticate(req('/'), [{}])).ok, true, 'empty object')
  }],
  ['failure.response: problem+json body, WWW-Authenticate, no-store, Vary', async (_c, auth) => {
    const r = await auth.authenticate(req('/'), [{ Opaque: [] }, { Key: [] }])
    const res = r.response
    equal(res.status, 401, 'status')
    equal(res.headers.get('content-type'), 'application/problem+json', 'content-type')
    equal(res.headers.get('cache-control'), 'no-store', 'cache-control')
    equal(res.headers.get('www-authenticate'), 'Bearer realm="api", APIKey realm="api", in="header", name="X-API-Key"', 'challenges')
    assert(/x-api-key/i.test(res.headers.get('vary') ?? ''), 'Vary names the key header')
    const body = await res.json()
    equal([body.status, body.code, body.title, typeof body.type, typeof body.detail], [401, 'credentials_missing', 'Unauthorized', 'string', 'string'], 'body')
    assert(r.response === res, 'response is built once')
  }],
  ['a light request object works in place of Request', async (_c, auth) => {
    const headers = { get: (name) => (name.toLowerCase() === 'x-api-key' ? 'k-123' : null) }
    equal((await auth.authenticate({ method: 'GET', url: '/pets?api_key=q-1', headers }, [{ Key: [], QueryKey: [] }])).ok, true, 'ok')
  }],
  ['verify bugs reject with ERR_AUTHSPEC_VERIFY, never a grant', async (_c, auth) => {
    const thrown = await rejects(auth.authenticate(req('/', { Authorization: 'Bearer x' }), [{ Throws: [] }]), 'ERR_AUTHSPEC_VERIFY', 'throwing verify')
    assert(thrown.cause instanceof Error, 'keeps the cause')
    await rejects(auth.authenticate(req('/', { 'X-Truthy': 'x' }), [{ Truthy: [] }]), 'ERR_AUTHSPEC_VERIFY', 'verify returning true')
  }],
  ['config errors throw at creation with ERR_AUTHSPEC_CONFIG', (core, auth) => {
    throws(() => auth.prepare([{ Nope: [] }]), 'ERR_AUTHSPEC_CONFIG', 'unknown scheme')
    throws(() => auth.prepare([{ Key: ['admin'] }]), 'ERR_AUTHSPEC_CONFIG', 'scopes on a scheme without scopes')
    throws(() => core.apiKey({ in: 'header', name: 'Bad Name', keys: { a: 'b' } }), 'ERR_AUTHSPEC_CONFIG', 'header name not a token')
    throws(() => core.apiKey({ in: 'header', name: 'X-Key', keys: {} }), 'ERR_AUTHSPEC_CONFIG', 'empty keys')
    throws(() => core.httpBasic({}), 'ERR_AUTHSPEC_CONFIG', 'missing verifier')
    throws(() => core.createAuth({ schemes: {} }), 'ERR_AUTHSPEC_CONFIG', 'no schemes')
    throws(() => core.jwtBearer({ secret: JWT_SECRET, issuer: false, audience: false }), 'ERR_AUTHSPEC_CONFIG', 'JWT without algorithms')
    throws(() => core.jwtBearer({ algorithms: ['HS256'], secret: 'short', issuer: false, audience: false }), 'ERR_AUTHSPEC_CONFIG', 'short HMAC secret')
  }],
  ['challenge values are escaped: no CR/LF, quotes escaped', async (core) => {
    const auth = core.createAuth({ realm: 'a"b\\c', schemes: { Key: core.apiKey({ in: 'header', name: 'X-Key', keys: { a: 'b' } }) } })
    const r = await auth.authenticate(req('/'), [{ Key: [] }])
    equal(r.challenges, ['APIKey realm="a\\"b\\\\c", in="header", name="X-Key"'], 'escaped realm')
    const evil = core.createAuth({ realm: 'x\r\nSet-Cookie: a=1', schemes: { Key: core.apiKey({ in: 'header', name: 'X-Key', keys: { a: 'b' } }) } })
    const challenge = (await evil.authenticate(req('/'), [{ Key: [] }])).challenges[0]
    assert(!/[\r\n]/.test(challenge), `no CR/LF in ${JSON.stringify(challenge)}`)
  }],
  ['OpenAPI: securitySchemes and operation security/responses', (_c, auth) => {
    const out = auth.openapi({ version: '3.1' })
    equal(out.components.securitySchemes.Key, { type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey object')
    equal(out.components.securitySchemes.Basic, { type: 'http', scheme: 'basic' }, 'basic object')
    const op = auth.operation([{ Opaque: ['pets:read'] }, { Key: [] }])
    equal(op.security, [{ Opaque: ['pets:read'] }, { Key: [] }], 'security')
    assert(op.responses['401'] !== undefined && op.responses['403'] !== undefined, '401 and 403 responses')
  }],
  ['timingSafeEqual compares strings', (core) => {
    equal([core.timingSafeEqual('abc', 'abc'), core.timingSafeEqual('abc', 'abd'), core.timingSafeEqual('abc', 'abcd')], [true, false, false], 'results')
  }],
  ['JWT HS256: valid token grants {token, header, claims} and scopes', async (_c, auth) => {
    const now = Math.floor(Date.now() / 1000)
    const token = await hs256({ sub: 'u1', iss: 'https://issuer.test', aud: 'api', iat: now, exp: now + 60, scope: 'pets:read pets:write' }, JWT_SECRET)
    const r = await auth.authenticate(req('/', { Authorization: `Bearer ${token}` }), [{ Jwt: ['pets:write'] }])
    equal(r.ok, true, `ok (${r.code ?? ''} ${r.problem ? r.problem.detail : ''})`)
    equal([r.principals.Jwt.token === token, r.principals.Jwt.header.alg, r.principals.Jwt.claims.sub], [true, 'HS256', 'u1'], 'principal')
    equal(r.scopes, ['pets:read', 'pets:write'], 'scopes')
    const scoped = await auth.authenticate(req('/', { Authorization: `Bearer ${token}` }), [{ Jwt: ['admin'] }])
    equal(scoped.status, 403, 'missing scope')
  }],
  ['JWT HS256: wrong secret, expired, wrong audience, alg none → 401', async (_c, auth) => {
    const now = Math.floor(Date.now() / 1000)
    const claims = { sub: 'u1', iss: 'https://issuer.test', aud: 'api', iat: now, exp: now + 60 }
    const cases = {
      'wrong secret': await hs256(claims, 'another-secret-of-at-least-32-bytes!!'),
      expired: await hs256({ ...claims, exp: now - 600 }, JWT_SECRET),
      'wrong audience': await hs256({ ...claims, aud: 'other' }, JWT_SECRET),
      'wrong issuer': await hs256({ ...claims, iss: 'https://evil.test' }, JWT_SECRET),
      'alg none': `${jsonPart({ alg: 'none' })}.${jsonPart(claims)}.`,
    }
    for (const [what, token] of Object.entries(cases)) {
      const r = await auth.authenticate(req('/', { Authorization: `Bearer ${token}` }), [{ Jwt: [] }])
      equal([r.ok, r.status, r.code], [false, 401, 'invalid_token'], what)
    }
  }],
]

/** Run every check against a core module namespace; never throws. */
export async function runConformance(core) {
  const passed = []
  const failed = []
  let auth
  try {
    auth = makeAuth(core)
  } catch (error) {
    return { runtime: runtimeName(), passed, failed: [{ name: 'create the auth', error: String(error && error.stack ? error.stack : error) }] }
  }
  for (const [name, check] of CHECKS) {
    try {
      await check(core, auth)
      passed.push(name)
    } catch (error) {
      failed.push({ name, error: error instanceof CheckError ? error.message : String(error && error.stack ? error.stack : error) })
    }
  }
  return { runtime: runtimeName(), passed, failed }
}

/** Number of checks, for callers that assert none went missing. */
export const CHECK_COUNT = CHECKS.length
