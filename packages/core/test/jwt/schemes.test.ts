import { describe, expect, expectTypeOf, it, vi } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { oauth2 } from '../../src/schemes/oauth2.js'
import { openIdConnect } from '../../src/schemes/open-id-connect.js'
import { discoveryParser, expectedIssuer } from '../../src/internal/discovery.js'
import { createTestSecret, signTestToken } from '../../src/testing/index.js'
import { authenticator, bearerRequest, failed, now } from './helpers.js'

const secret = createTestSecret('HS256')
const base = { algorithms: ['HS256' as const], secret: secret.secret, issuer: 'https://issuer.test', audience: 'api' }
const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ iss: base.issuer, aud: 'api', sub: 'u1', ...extra })
const sign = (extra: Record<string, unknown> = {}, options = {}): Promise<string> => signTestToken(secret, claims(extra), options)
const flows = {
  clientCredentials: { tokenUrl: 'https://issuer.test/token', scopes: { 'pets:read': 'Read pets', 'pets:write': 'Write pets' } },
  deviceAuthorization: { deviceAuthorizationUrl: '/device', tokenUrl: '/token', scopes: { 'pets:read': 'Read pets' } },
}

describe('jwtBearer', () => {
  it('a valid token → principal { token, header, claims } typed by the claims generic', async () => {
    const scheme = jwtBearer<{ tenant: string }>(base)
    const auth = createAuth({ schemes: { Jwt: scheme } })
    const token = await sign({ tenant: 't1' })
    const result = await auth.authenticate(bearerRequest(token), [{ Jwt: [] }])
    if (!result.ok) throw new Error(result.problem.detail)
    const principal = result.principals.Jwt
    expectTypeOf(principal.claims.tenant).toEqualTypeOf<string>()
    expect(principal.token).toBe(token)
    expect(principal.header).toMatchObject({ alg: 'HS256' })
    expect(principal.claims).toMatchObject({ sub: 'u1', tenant: 't1' })
  })

  it('scopes come from "scope" (space-separated), "scp" (string or array) and "permissions"; a shortfall → 403 insufficient_scope', async () => {
    const check = authenticator(jwtBearer(base), ['pets:read', 'pets:write'])
    expect((await check(await sign({ scope: 'pets:read  pets:write openid' }))).ok).toBe(true)
    expect((await check(await sign({ scp: ['pets:read', 'pets:write'] }))).ok).toBe(true)
    expect((await check(await sign({ scp: 'pets:read pets:write' }))).ok).toBe(true)
    expect((await check(await sign({ scope: 'pets:read', permissions: ['pets:write'] }))).ok).toBe(true)
    const failure = failed(await check(await sign({ scope: 'pets:read' })))
    expect(failure.status).toBe(403)
    expect(failure.challenges[0]).toBe('Bearer realm="api", error="insufficient_scope", scope="pets:read pets:write"')
  })

  it('scopeClaim restricts where scopes are read from; a scopes callback replaces it', async () => {
    const onlyScp = authenticator(jwtBearer({ ...base, scopeClaim: 'scp' }), ['pets:read'])
    expect(failed(await onlyScp(await sign({ scope: 'pets:read' }))).status).toBe(403)
    expect((await onlyScp(await sign({ scp: 'pets:read' }))).ok).toBe(true)
    const roles = authenticator(jwtBearer<{ roles: string[] }>({ ...base, scopes: (p) => p.claims.roles }), ['admin'])
    expect((await roles(await sign({ roles: ['admin'] }))).ok).toBe(true)
  })

  it('result.scopes holds the granted scopes', async () => {
    const result = await authenticator(jwtBearer(base))(await sign({ scope: 'a b' }))
    expect(result.ok && result.scopes).toEqual(['a', 'b'])
  })

  it('typ, requiredClaims, maxTokenAge and the claims callback are enforced', async () => {
    const typed = authenticator(jwtBearer({ ...base, typ: 'at+jwt' }))
    expect((await typed(await sign({}, { header: { typ: 'at+jwt' } }))).ok).toBe(true)
    expect(failed(await typed(await sign({}, { header: { typ: 'JWT' } }))).problem.detail).toContain('unexpected typ')
    const required = authenticator(jwtBearer({ ...base, requiredClaims: ['jti'] }))
    expect(failed(await required(await sign())).problem.detail).toContain('jti claim missing')
    const young = authenticator(jwtBearer({ ...base, maxTokenAge: 60 }))
    expect(failed(await young(await sign({ iat: now() - 120 }))).problem.detail).toContain('token too old')
    expect((await young(await sign())).ok).toBe(true)
    const tenant = authenticator(jwtBearer<{ tenant?: string }>({ ...base, claims: async (c) => c.tenant === 'acme' }))
    expect((await tenant(await sign({ tenant: 'acme' }))).ok).toBe(true)
    expect(failed(await tenant(await sign({ tenant: 'evil' }))).problem.detail).toContain('claims rejected')
  })

  it('a claims callback that throws or returns a non-boolean → ERR_AUTHSPEC_VERIFY, never a grant', async () => {
    const throwing = authenticator(jwtBearer({ ...base, claims: () => { throw new Error('boom') } }))
    await expect(throwing(await sign())).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY' })
    const sloppy = authenticator(jwtBearer({ ...base, claims: () => 'yes' as never }))
    await expect(sloppy(await sign())).rejects.toMatchObject({ code: 'ERR_AUTHSPEC_VERIFY' })
  })

  it('several HMAC algorithms each get their own key, imported once', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey')
    try {
      const long = 'x'.repeat(64)
      const check = authenticator(jwtBearer({ ...base, algorithms: ['HS256', 'HS512'], secret: long, cache: false }))
      for (let i = 0; i < 5; i++) {
        for (const alg of ['HS256', 'HS512'] as const) expect((await check(await signTestToken({ alg, secret: long }, claims()))).ok).toBe(true)
      }
      // jose's own signing in signTestToken imports too: count only the verify-side imports.
      const verifyImports = importKey.mock.calls.filter((call) => (call[4] as string[]).includes('verify') && !(call[4] as string[]).includes('sign'))
      expect(verifyImports).toHaveLength(2)
    } finally {
      importKey.mockRestore()
    }
  })

  it('allowQuery reads access_token; a token in both places → 400', async () => {
    const scheme = jwtBearer({ ...base, allowQuery: true })
    const auth = createAuth({ schemes: { Jwt: scheme } })
    const token = await sign()
    expect((await auth.authenticate(bearerRequest(undefined, {}, `/pets?access_token=${token}`), [{ Jwt: [] }])).ok).toBe(true)
    expect(failed(await auth.authenticate(bearerRequest(token, {}, `/pets?access_token=${token}`), [{ Jwt: [] }])).status).toBe(400)
    const off = createAuth({ schemes: { Jwt: jwtBearer(base) } })
    expect(failed(await off.authenticate(bearerRequest(undefined, {}, `/pets?access_token=${token}`), [{ Jwt: [] }])).status).toBe(401)
  })

  it('missing token → 401 with a plain Bearer challenge carrying the realm', async () => {
    const failure = failed(await authenticator(jwtBearer({ ...base, realm: 'pets' }))(undefined))
    expect(failure.status).toBe(401)
    expect(failure.challenges).toEqual(['Bearer realm="pets"'])
  })
})

describe('oauth2', () => {
  it('JWT tokens: declared scopes are enforced (403 with scope="…"); undeclared scopes are refused at prepare', async () => {
    const auth = createAuth({ schemes: { OAuth2: oauth2({ flows, token: base }) } })
    expect((await auth.authenticate(bearerRequest(await sign({ scope: 'pets:read' })), [{ OAuth2: ['pets:read'] }])).ok).toBe(true)
    const failure = failed(await auth.authenticate(bearerRequest(await sign({ scope: 'pets:read' })), [{ OAuth2: ['pets:write'] }]))
    expect(failure.status).toBe(403)
    expect(failure.challenges[0]).toContain('scope="pets:write"')
    expect(() => auth.prepare([{ OAuth2: ['pets:delete'] }])).toThrow(/not declared in its flows/)
  })

  it('verify callback (introspection): the principal\'s RFC 7662 "scope" grants by default, or a scopes callback', async () => {
    const introspect = async (token: string) => (token === 'good' ? { active: true, sub: 'c1', scope: 'pets:read' } : null)
    const auth = createAuth({
      schemes: {
        Intro: oauth2({ flows, verify: introspect }),
        Custom: oauth2({ flows, verify: (token) => (token === 'good' ? { perms: ['pets:write'] } : null), scopes: (p) => p.perms }),
      },
    })
    expect((await auth.authenticate(bearerRequest('good'), [{ Intro: ['pets:read'] }])).ok).toBe(true)
    expect(failed(await auth.authenticate(bearerRequest('good'), [{ Intro: ['pets:write'] }])).status).toBe(403)
    expect(failed(await auth.authenticate(bearerRequest('bad'), [{ Intro: [] }])).status).toBe(401)
    expect((await auth.authenticate(bearerRequest('good'), [{ Custom: ['pets:write'] }])).ok).toBe(true)
  })

  it('toOpenAPI: flows unchanged; deviceAuthorization only for 3.2; description and x- extensions kept', () => {
    const scheme = oauth2({ flows, token: base, description: 'OAuth', extensions: { 'x-internal': true } })
    expect(scheme.toOpenAPI('3.2')).toEqual({ type: 'oauth2', flows, description: 'OAuth', 'x-internal': true })
    expect(scheme.toOpenAPI('3.1')).toEqual({ type: 'oauth2', flows: { clientCredentials: flows.clientCredentials }, description: 'OAuth', 'x-internal': true })
    expect(scheme.toOpenAPI('3.0')).not.toHaveProperty('flows.deviceAuthorization')
  })

  it('x- extensions inside flows are kept; relative and empty URLs are accepted (OpenAPI allows relative URLs)', () => {
    const withExtension = { 'x-provider': 'acme', password: { tokenUrl: '', scopes: {} }, implicit: { authorizationUrl: '/authorize', scopes: {}, 'x-note': 1 } }
    expect(oauth2({ flows: withExtension, token: base }).toOpenAPI('3.1')).toEqual({ type: 'oauth2', flows: withExtension })
    expect(() => oauth2({ flows: { 'x-only': true }, token: base })).toThrow(/at least one flow/)
  })
})

describe('OpenAPI output of the JWT schemes', () => {
  it('jwtBearer → http bearer JWT; openIdConnect → openIdConnectUrl; with description and extensions', () => {
    expect(jwtBearer({ ...base, description: 'JWT', extensions: { 'x-a': 1 } }).toOpenAPI('3.1')).toEqual({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: 'JWT',
      'x-a': 1,
    })
    const url = 'https://issuer.test/.well-known/openid-configuration'
    expect(openIdConnect({ openIdConnectUrl: url, algorithms: ['RS256'], audience: 'api', description: 'OIDC' }).toOpenAPI('3.0')).toEqual({
      type: 'openIdConnect',
      openIdConnectUrl: url,
      description: 'OIDC',
    })
  })
})

describe('OpenID discovery document checks', () => {
  const doc = (issuer: unknown, jwks_uri: unknown = 'https://issuer.test/jwks') => ({ issuer, jwks_uri })
  it('the issuer must match the discovery URL (a trailing slash allowed, Discovery §4) or the explicit issuer exactly', () => {
    expect(expectedIssuer('https://issuer.test/tenant/.well-known/openid-configuration')).toBe('https://issuer.test/tenant')
    const derived = discoveryParser('https://issuer.test', true)
    expect(derived(doc('https://issuer.test'))).toEqual(doc('https://issuer.test'))
    expect(derived(doc('https://issuer.test/'))).toEqual(doc('https://issuer.test/'))
    expect(() => derived(doc('https://evil.test'))).toThrow(/does not match/)
    const explicit = discoveryParser('https://issuer.test', false)
    expect(() => explicit(doc('https://issuer.test/'))).toThrow(/does not match/)
  })
  it('a document without issuer, or without an http(s) jwks_uri, is refused', () => {
    const parse = discoveryParser('https://issuer.test', true)
    expect(() => parse(doc(undefined))).toThrow(/no issuer/)
    expect(() => parse(doc('https://issuer.test', 'file:///etc/passwd'))).toThrow(/jwks_uri/)
    expect(() => parse([])).toThrow(/not an object/)
  })
})
