import { describe, expect, it } from 'vitest'
import { fromOpenAPI, type Requirement } from '../index.js'
import { basicVerifier, configMessage, docWith, keyVerifier, type Doc } from '../../test/support/openapi-documents.js'

// fromOpenAPI: what an imported document enforces (requirementFor, authenticate, round trip, tolerances).
// Config errors and verifier pairing: from-openapi-verifiers.test.ts.

function petstore(): Doc {
  return {
    openapi: '3.1.0',
    info: { title: 'Pets', version: '1' },
    servers: [{ url: 'https://api.example.com/v1' }, { url: '/beta' }, { url: 'https://{region}.example.com/{stage}/api', variables: { region: { default: 'eu' }, stage: { default: 'prod' } } }],
    security: [{ Key: [] }],
    paths: {
      '/pets': { get: { responses: {} }, post: { security: [{ Basic: [] }], responses: {} } },
      '/pets/{id}': { get: { security: [{ Key: [] }, { Basic: [] }], responses: {} }, delete: { security: [{ Key: [], Basic: [] }], responses: {} } },
      '/pets/mine': { get: { security: [{ Basic: [] }], responses: {} } },
      '/files/{name}.json': { get: { security: [{ Basic: [] }], responses: {} } },
      '/public': { get: { security: [], responses: {} } },
      '/optional': { get: { security: [{}, { Key: [] }], responses: {} } },
    },
    components: {
      securitySchemes: {
        Key: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The key', 'x-vendor': { a: 1 } },
        Basic: { type: 'http', scheme: 'Basic' },
      },
    },
  }
}

const auth = fromOpenAPI(petstore(), { verifiers: { Key: keyVerifier, Basic: basicVerifier } })
const KEY: Requirement = [{ Key: [] }]
const BASIC: Requirement = [{ Basic: [] }]

describe('requirementFor', () => {
  it('operation security overrides the document; an operation without security inherits it', () => {
    expect(auth.requirementFor('GET', '/pets')).toEqual(KEY)
    expect(auth.requirementFor('POST', '/pets')).toEqual(BASIC)
  })

  it('any method casing', () => {
    for (const method of ['post', 'POST', 'Post']) expect(auth.requirementFor(method, '/pets')).toEqual(BASIC)
  })

  it('matches path templates, the template as written, and prefers concrete paths over templates', () => {
    expect(auth.requirementFor('get', '/pets/42')).toEqual([{ Key: [] }, { Basic: [] }])
    expect(auth.requirementFor('get', '/pets/{id}')).toEqual([{ Key: [] }, { Basic: [] }])
    expect(auth.requirementFor('get', '/pets/mine')).toEqual(BASIC)
    expect(auth.requirementFor('delete', '/pets/mine')).toEqual([{ Key: [], Basic: [] }]) // /pets/mine has no DELETE: the template route applies
    expect(auth.requirementFor('get', '/files/report.json')).toEqual(BASIC)
    expect(auth.requirementFor('get', '/files/report.txt')).toBeUndefined()
    expect(auth.requirementFor('get', '/pets/a%20b')).toEqual([{ Key: [] }, { Basic: [] }])
  })

  it('understands server base paths (absolute, relative, with variables), queries, absolute URLs and a trailing slash', () => {
    expect(auth.requirementFor('GET', '/v1/pets/mine')).toEqual(BASIC)
    expect(auth.requirementFor('GET', '/beta/pets/7?expand=1')).toEqual([{ Key: [] }, { Basic: [] }])
    expect(auth.requirementFor('GET', '/staging/api/pets/mine')).toEqual(BASIC)
    expect(auth.requirementFor('GET', 'https://api.example.com/v1/pets/mine?x=1')).toEqual(BASIC)
    expect(auth.requirementFor('POST', '/v1/pets/')).toEqual(BASIC)
  })

  it('[] is public, {} allows anonymous, HEAD follows GET', () => {
    expect(auth.requirementFor('GET', '/public')).toEqual([])
    expect(auth.requirementFor('GET', '/optional')).toEqual([{}, { Key: [] }])
    expect(auth.requirementFor('HEAD', '/pets/mine')).toEqual(BASIC)
  })

  it('unknown path or method → undefined (never public)', () => {
    expect(auth.requirementFor('GET', '/nope')).toBeUndefined()
    expect(auth.requirementFor('PUT', '/pets')).toBeUndefined()
    expect(auth.requirementFor('GET', '/v2/pets')).toBeUndefined()
  })

  it('returns the same array for every request of an operation (prepared once)', () => {
    expect(auth.requirementFor('get', '/pets/1')).toBe(auth.requirementFor('GET', '/v1/pets/2'))
  })

  it('no security anywhere → []', () => {
    const open = fromOpenAPI(
      { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: {} } } }, components: { securitySchemes: { Key: { type: 'apiKey', in: 'query', name: 'k' } } } },
      { verifiers: { Key: keyVerifier } },
    )
    expect(open.requirementFor('GET', '/x')).toEqual([])
  })
})

describe('authenticate with requirementFor', () => {
  it('enforces what the document says for the request path', async () => {
    const request = (path: string, headers: Record<string, string> = {}): Request => new Request(`https://api.example.com${path}`, { headers })
    const ok = await auth.authenticate(request('/v1/pets/mine', { authorization: `Basic ${btoa('u:p')}` }), auth.requirementFor('GET', '/v1/pets/mine'))
    expect(ok.ok && ok.principals).toEqual({ Basic: { username: 'u' } })
    const denied = await auth.authenticate(request('/v1/pets/mine', { 'x-api-key': 'good-key' }), auth.requirementFor('GET', '/v1/pets/mine'))
    expect(denied.ok).toBe(false)
    const both = await auth.authenticate(request('/pets/1', { 'x-api-key': 'good-key' }), auth.requirementFor('DELETE', '/pets/1'))
    expect(both.ok || both.status).toBe(401)
    expect((await auth.authenticate(request('/public'), auth.requirementFor('GET', '/public'))).ok).toBe(true)
  })
})

describe('round trip', () => {
  it('auth.openapi() reproduces the document schemes (description, x- extensions) and security', () => {
    const out = auth.openapi({ version: '3.1' })
    expect(out.components.securitySchemes.Key).toEqual(petstore().components.securitySchemes.Key)
    // Auth-scheme names are case-insensitive (RFC 9110): the http scheme is emitted lower-case.
    expect(out.components.securitySchemes.Basic).toEqual({ type: 'http', scheme: 'basic' })
    expect(out.security).toEqual([{ Key: [] }])
    expect(auth.version).toBe('3.1')
    expect(auth.operations['GET /pets/{id}']).toEqual([{ Key: [] }, { Basic: [] }])
    expect(auth.operations).not.toHaveProperty('GET /pets') // inherits the document's
  })
})

describe('tolerances', () => {
  const oauthDoc = docWith(
    { O: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: '/authorize', tokenUrl: '/token', scopes: { accounts: 'a' } } } } },
    { '/accounts': { get: { security: [{ O: ['accounts', 'consent:42'] }], responses: {} } } },
  )
  const oauthVerify = { verify: (token: string) => ({ scope: token === 'full' ? 'accounts consent:42' : 'accounts' }) }

  it("undeclaredScopes: 'check' accepts undeclared oauth2 scopes and still enforces them (403 without)", async () => {
    expect(configMessage(() => fromOpenAPI(oauthDoc, { verifiers: { O: oauthVerify } }))).toContain('O: "consent:42"')
    const tolerant = fromOpenAPI(oauthDoc, { verifiers: { O: oauthVerify }, undeclaredScopes: 'check' })
    const requirement = tolerant.requirementFor('GET', '/accounts')
    const partial = await tolerant.authenticate(new Request('http://x/accounts', { headers: { authorization: 'Bearer some' } }), requirement)
    expect(partial.ok || partial.status).toBe(403)
    const full = await tolerant.authenticate(new Request('http://x/accounts', { headers: { authorization: 'Bearer full' } }), requirement)
    expect(full.ok).toBe(true)
    // The flows are emitted as the document wrote them (relative URLs kept).
    expect(tolerant.openapi().components.securitySchemes.O).toEqual(oauthDoc.components.securitySchemes.O)
  })

  it("ambiguousPaths: 'all' makes every path of the shape, a template spelled literally included, satisfy every same-shape template", () => {
    const doc = docWith(
      { A: { type: 'apiKey', in: 'header', name: 'X-A' }, B: { type: 'apiKey', in: 'query', name: 'b' } },
      { '/cards/{id}': { get: { security: [{ A: [] }, { B: [] }], responses: {} } }, '/cards/{filter}': { get: { responses: {} } } },
    )
    expect(configMessage(() => fromOpenAPI(doc, { verifiers: { A: keyVerifier, B: keyVerifier } }))).toContain('same path with different security')
    const all = fromOpenAPI(doc, { verifiers: { A: keyVerifier, B: keyVerifier }, ambiguousPaths: 'all' })
    expect(all.requirementFor('GET', '/cards/7')).toEqual([{ A: [] }, { B: [] }])
    // Spelling a template literally is no way around the AND: a router sends `/cards/{filter}` to the same handler.
    expect(all.requirementFor('GET', '/cards/{filter}')).toEqual([{ A: [] }, { B: [] }])
    expect(all.requirementFor('GET', '/cards/{id}')).toEqual([{ A: [] }, { B: [] }])
  })

  it('a path containing a backslash gives undefined (Express reads `\\` as `/` before a `#`, others as data)', () => {
    expect(auth.requirementFor('GET', '/pets\\42')).toBeUndefined()
    expect(auth.requirementFor('GET', '/pets/mine\\')).toBeUndefined()
    expect(auth.requirementFor('GET', '/v1\\pets')).toBeUndefined()
  })

  it('a path that matches the document as given is never re-read with a server base path stripped', () => {
    const doc = docWith(
      { A: { type: 'apiKey', in: 'header', name: 'X-A' } },
      { '/users/{id}': { get: { responses: {} } }, '/health': { get: { security: [], responses: {} } } },
    )
    const versioned = fromOpenAPI({ ...doc, security: [{ A: [] }], servers: [{ url: '/{version}', variables: { version: { default: 'v1' } } }] }, { verifiers: { A: keyVerifier } })
    // The router runs /users/:id for this path; reading it as base `users` + `/health` would make it public.
    expect(versioned.requirementFor('GET', '/users/health')).toEqual([{ A: [] }])
    expect(versioned.requirementFor('GET', '/v1/health')).toEqual([])
    expect(versioned.requirementFor('GET', '/v1/users/7')).toEqual([{ A: [] }])
  })

  it('Swagger 2.0 is normalized to OpenAPI 3.0: basic → http basic, oauth2 flow → flows, basePath → server base path', () => {
    const swagger = {
      swagger: '2.0',
      info: { title: 't', version: '1' },
      basePath: '/api/v1',
      securityDefinitions: {
        Basic: { type: 'basic', description: 'b' },
        Code: { type: 'oauth2', flow: 'accessCode', authorizationUrl: 'https://a/authorize', tokenUrl: 'https://a/token', scopes: { read: 'r' }, 'x-k': 1 },
        App: { type: 'oauth2', flow: 'application', tokenUrl: 'https://a/token', scopes: {} },
      },
      security: [{ Basic: [] }],
      paths: { '/repos': { get: { security: [{ Code: ['read'] }, { App: [] }], responses: {} } }, '/me': { get: { responses: {} } } },
    }
    const imported = fromOpenAPI(swagger, { verifiers: { Basic: basicVerifier, Code: { verify: () => ({}) }, App: { verify: () => ({}) } } })
    expect(imported.version).toBe('3.0')
    expect(imported.openapi({ version: '3.0' }).components.securitySchemes).toEqual({
      Basic: { type: 'http', scheme: 'basic', description: 'b' },
      Code: { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'https://a/authorize', tokenUrl: 'https://a/token', scopes: { read: 'r' } } }, 'x-k': 1 },
      App: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://a/token', scopes: {} } } },
    })
    expect(imported.requirementFor('get', '/api/v1/me')).toEqual([{ Basic: [] }])
    expect(imported.requirementFor('get', '/api/v1/repos')).toEqual([{ Code: ['read'] }, { App: [] }])
  })
})
