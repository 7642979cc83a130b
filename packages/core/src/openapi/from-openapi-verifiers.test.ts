import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { apiKey, fromOpenAPI } from '../index.js'
import { configMessage, docWith, keyVerifier, type Doc } from '../../test/support/openapi-documents.js'

// fromOpenAPI: problems of a document and its verifiers, and which factory each verifier builds.

describe('config errors are collected into one', () => {
  it('missing verifiers, unknown verifiers, undeclared schemes and scopes, scopes without a scopes function: all listed', () => {
    const doc = docWith(
      {
        A: { type: 'apiKey', in: 'header', name: 'X-A' },
        B: { type: 'http', scheme: 'bearer' },
        C: { type: 'http', scheme: 'basic' },
        O: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: { read: 'r' } } } },
      },
      {
        '/x': { get: { security: [{ A: ['admin'] }, { Ghost: [] }, { O: ['read', 'write', 'delete'] }], responses: {} } },
        '/y': { get: { security: [{ Phantom: [], A: [] }], responses: {} } },
      },
    )
    const message = configMessage(() => fromOpenAPI(doc, { verifiers: { A: keyVerifier, O: { verify: () => ({}) }, Typo: keyVerifier } }))
    for (const part of [
      'missing verifiers for "B", "C"',
      'Ghost (GET /x)',
      'Phantom (GET /y)',
      'O: "write" (GET /x)',
      'O: "delete" (GET /x)',
      '"A" (GET /x)',
      'verifiers given for schemes the document neither declares nor uses: "Typo"',
    ]) {
      expect(message).toContain(part)
    }
    expect(message.split('\n')).toHaveLength(6) // the heading and one line per kind of problem (5 kinds)
  })

  it('a verifier that restates what the document says, or mixes opaque and JWT options, is refused', () => {
    const doc = docWith({ A: { type: 'apiKey', in: 'header', name: 'X-A' }, B: { type: 'http', scheme: 'bearer' } })
    const message = configMessage(() =>
      // @ts-expect-error `in` belongs to the document, verify and algorithms exclude each other: refused at compile time too
      fromOpenAPI(doc, { verifiers: { A: { ...keyVerifier, in: 'query' }, B: { verify: () => ({}), algorithms: ['HS256'], secret: 'x'.repeat(32), issuer: false, audience: false } } }),
    )
    expect(message).toContain('"A" sets in')
    expect(message).toContain('"B" gives both verify')
  })

  it('unsupported scheme types need a Scheme object; a Scheme object is used as is', () => {
    const doc = docWith({ T: { type: 'mutualTLS' }, D: { type: 'http', scheme: 'DPoP' }, N: { name: 'x' } })
    // @ts-expect-error `{}` is no scheme's options: refused at compile time too
    const message = configMessage(() => fromOpenAPI(doc, { verifiers: { T: {}, D: { verify: () => ({}) }, N: {} } }))
    expect(message).toContain('"T" has type "mutualTLS"')
    expect(message).toContain('"D" uses the http scheme "DPoP"')
    expect(message).toContain('"N" has type undefined')
    const custom = apiKey({ in: 'header', name: 'X-Client-Cert-Id', verify: () => ({}) })
    const ok = fromOpenAPI(docWith({ T: { type: 'mutualTLS' } }), { verifiers: { T: custom } })
    expect(ok.schemes.T).toBe(custom)
  })

  it('unsupported versions and an unresolved external $ref are refused', () => {
    expect(configMessage(() => fromOpenAPI({ openapi: '2.5' }, { verifiers: {} }))).toContain('unsupported document version')
    const doc = docWith({ A: { type: 'apiKey', in: 'header', name: 'X-A' } }, { '/x': { $ref: 'other.yaml#/x' } })
    expect(configMessage(() => fromOpenAPI(doc, { verifiers: { A: keyVerifier } }))).toContain('path item /x is an unresolved $ref')
  })

  it('a scheme named "__proto__" is data: never dropped from a requirement, so never an anonymous pass', async () => {
    const doc = JSON.parse(
      '{"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/x":{"get":{"security":[{"__proto__":[]}],"responses":{}}}},' +
        '"components":{"securitySchemes":{"__proto__":{"type":"apiKey","in":"header","name":"X-Key"}}}}',
    ) as Doc
    const verifiers: Record<string, unknown> = {}
    Object.defineProperty(verifiers, '__proto__', { value: keyVerifier, enumerable: true })
    const imported = fromOpenAPI(doc, { verifiers: verifiers as never })
    const requirement = imported.requirementFor('GET', '/x')!
    expect(Object.keys(requirement[0]!)).toEqual(['__proto__'])
    expect((await imported.authenticate(new Request('http://h/x'), requirement)).ok).toBe(false)
    expect((await imported.authenticate(new Request('http://h/x', { headers: { 'x-key': 'good-key' } }), requirement)).ok).toBe(true)
    expect(Object.keys(imported.openapi().components.securitySchemes)).toEqual(['__proto__'])
    expect(Object.keys(imported.operation(requirement).security[0]!)).toEqual(['__proto__'])
  })

  it('internal $ref path items are followed', () => {
    const doc = docWith({ A: { type: 'apiKey', in: 'header', name: 'X-A' } }, { '/x': { $ref: '#/components/pathItems/X' } })
    ;doc.components.pathItems = { X: { get: { security: [{ A: [] }], responses: {} } } }
    expect(fromOpenAPI(doc, { verifiers: { A: keyVerifier } }).requirementFor('GET', '/x')).toEqual([{ A: [] }])
  })
})

describe('pairing verifiers with scheme types', () => {
  const secret = 'a-test-secret-that-is-at-least-32-bytes!'
  const hs = (claims: Record<string, unknown>): Promise<string> =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://iss').setAudience('api').setExpirationTime('5m').sign(new TextEncoder().encode(secret))
  const bearer = (token: string): Request => new Request('http://x/', { headers: { authorization: `Bearer ${token}` } })

  it('http bearer + { verify, scopes } → opaque bearer; + JWT options → jwtBearer keeping the document bearerFormat', async () => {
    const doc = docWith({ Opaque: { type: 'http', scheme: 'bearer', description: 'o' }, Jwt: { type: 'http', scheme: 'bearer' } })
    const imported = fromOpenAPI(doc, {
      verifiers: {
        Opaque: { verify: (token: string) => (token === 'tok' ? { roles: ['admin'] } : null), scopes: (p: { roles: string[] }) => p.roles },
        Jwt: { algorithms: ['HS256'], secret, issuer: 'https://iss', audience: 'api' },
      },
    })
    expect(imported.openapi().components.securitySchemes).toEqual({ Opaque: { type: 'http', scheme: 'bearer', description: 'o' }, Jwt: { type: 'http', scheme: 'bearer' } })
    expect((await imported.authenticate(bearer('tok'), [{ Opaque: ['admin'] }])).ok).toBe(true)
    expect((await imported.authenticate(bearer(await hs({ scope: 'a' })), [{ Jwt: ['a'] }])).ok).toBe(true)
    const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://iss').setAudience('api').sign(new TextEncoder().encode(`${secret}x`))
    const rejected = await imported.authenticate(bearer(forged), [{ Jwt: [] }])
    expect(rejected.ok || rejected.status).toBe(401)
  })

  it('oauth2 + { token } → JWT access tokens checked against the document flows; relative URLs are valid', async () => {
    const doc = docWith({ O: { type: 'oauth2', flows: { password: { tokenUrl: '/token', scopes: { read: 'r', write: 'w' } } } } }, { '/x': { get: { security: [{ O: ['write'] }], responses: {} } } })
    const imported = fromOpenAPI(doc, { verifiers: { O: { token: { algorithms: ['HS256'], secret, issuer: 'https://iss', audience: 'api' } } } })
    const requirement = imported.requirementFor('GET', '/x')
    const lacking = await imported.authenticate(bearer(await hs({ scope: 'read' })), requirement)
    expect(lacking.ok || lacking.status).toBe(403)
    expect((await imported.authenticate(bearer(await hs({ scope: 'read write' })), requirement)).ok).toBe(true)
    expect(() => imported.prepare([{ O: ['admin'] }])).toThrow(/not declared/)
  })

  it('openIdConnect + { algorithms, audience } → discovery from the document URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256')
    const jwk = { ...(await exportJWK(publicKey)), kid: 'e1', alg: 'ES256' }
    const fetch = async (url: string): Promise<Response> =>
      url.endsWith('/.well-known/openid-configuration') ? Response.json({ issuer: 'https://op.example', jwks_uri: 'https://op.example/jwks' }) : Response.json({ keys: [jwk] })
    const doc = docWith({ Oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://op.example/.well-known/openid-configuration', 'x-provider': 'op' } })
    const imported = fromOpenAPI(doc, { verifiers: { Oidc: { algorithms: ['ES256'], audience: 'api', remoteKeys: { fetch } } } })
    expect(imported.openapi().components.securitySchemes.Oidc).toEqual(doc.components.securitySchemes.Oidc)
    const token = await new SignJWT({ scope: 'openid profile' }).setProtectedHeader({ alg: 'ES256', kid: 'e1' }).setIssuer('https://op.example').setAudience('api').setExpirationTime('5m').sign(privateKey)
    expect((await imported.authenticate(bearer(token), [{ Oidc: ['openid'] }])).ok).toBe(true)
  })
})
