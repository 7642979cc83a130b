import { Validator } from '@seriousme/openapi-schema-validator'
import { describe, expect, it } from 'vitest'
import { fromOpenAPI } from '../openapi/from-openapi.js'
import { apiKey, createAuth, httpBasic, httpBearer, isAuthspecError, jwtBearer, oauth2, openIdConnect } from '../index.js'
import { PROBLEM_SCHEMA_NAME, PROBLEM_SCHEMA_REF } from './builder.js'
import { mergeInto } from '../openapi/index.js'

const flows = {
  clientCredentials: { tokenUrl: '/oauth/token', scopes: { 'pets:read': 'Read pets', 'pets:write': 'Write pets' } },
  authorizationCode: { authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/token', scopes: { 'pets:read': 'Read pets' } },
}

const auth = createAuth({
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'k-123' }, description: 'CI key', extensions: { 'x-internal': true } }),
    BasicAuth: httpBasic({ users: { admin: 'pw' } }),
    Opaque: httpBearer({ verify: () => ({ sub: 'u' }), bearerFormat: 'opaque', scopes: () => [] }),
    Jwt: jwtBearer({ algorithms: ['RS256'], jwksUri: 'https://issuer.example.com/jwks.json', issuer: 'https://issuer.example.com', audience: 'api' }),
    OAuth2: oauth2({ flows, verify: () => ({ scope: 'pets:read' }) }),
    Oidc: openIdConnect({ openIdConnectUrl: 'https://issuer.example.com/.well-known/openid-configuration', algorithms: ['RS256'], audience: 'api' }),
  },
  security: [{ ApiKeyAuth: [] }],
})

async function errorsOf(document: object): Promise<unknown[]> {
  const result = await new Validator().validate(structuredClone(document) as never)
  return (result.errors as unknown[] | undefined) ?? []
}

describe('auth.openapi()', () => {
  it('emits every scheme with its description and x- extensions, the problem schema and the default security', () => {
    const out = auth.openapi({ version: '3.1' })
    expect(out.components.securitySchemes.ApiKeyAuth).toEqual({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'CI key', 'x-internal': true })
    expect(out.components.securitySchemes.BasicAuth).toEqual({ type: 'http', scheme: 'basic' })
    expect(out.components.securitySchemes.Opaque).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'opaque' })
    expect(out.components.securitySchemes.OAuth2).toEqual({ type: 'oauth2', flows })
    expect(out.components.securitySchemes.Oidc).toEqual({ type: 'openIdConnect', openIdConnectUrl: 'https://issuer.example.com/.well-known/openid-configuration' })
    expect(out.components.schemas[PROBLEM_SCHEMA_NAME]).toMatchObject({ type: 'object', required: ['type', 'title', 'status', 'detail', 'code'] })
    expect(out.security).toEqual([{ ApiKeyAuth: [] }])
  })

  it('an auth without default security emits no document security', () => {
    const plain = createAuth({ schemes: { K: apiKey({ in: 'query', name: 'key', keys: { a: 'b' } }) } })
    expect(plain.openapi()).not.toHaveProperty('security')
  })

  for (const [version, openapi] of [['3.0', '3.0.3'], ['3.1', '3.1.0'], ['3.2', '3.2.0']] as const) {
    it(`output in a minimal document validates against the official OpenAPI ${version} schema`, async () => {
      expect(await errorsOf({ openapi, info: { title: 't', version: '1' }, paths: {}, ...auth.openapi({ version }) })).toEqual([])
    })
  }
})

describe('auth.operation()', () => {
  it('protected requirement → 400 and 401 that refer to the one shared problem schema, with WWW-Authenticate', () => {
    const op = auth.operation([{ ApiKeyAuth: [] }, { BasicAuth: [] }])
    expect(op.security).toEqual([{ ApiKeyAuth: [] }, { BasicAuth: [] }])
    expect(Object.keys(op.responses).sort()).toEqual(['400', '401'])
    for (const response of Object.values(op.responses)) {
      expect(response.content['application/problem+json']!.schema).toEqual({ $ref: PROBLEM_SCHEMA_REF })
      expect(response.headers).toHaveProperty('WWW-Authenticate')
    }
  })

  it('scopes asked → 403; a scheme with remote keys → 503 with Retry-After', () => {
    expect(Object.keys(auth.operation([{ OAuth2: ['pets:read'] }]).responses).sort()).toEqual(['400', '401', '403'])
    const jwt = auth.operation([{ Jwt: [] }])
    expect(Object.keys(jwt.responses).sort()).toEqual(['400', '401', '503'])
    expect(jwt.responses['503']!.headers).toHaveProperty('Retry-After')
    expect(Object.keys(auth.operation([{ Oidc: ['openid'] }]).responses).sort()).toEqual(['400', '401', '403', '503'])
  })

  it('a JWT scheme with a static secret or public key can never answer 503, so none is documented', () => {
    const local = createAuth({
      schemes: {
        Hs: jwtBearer({ algorithms: ['HS256'], secret: 's'.repeat(32), issuer: 'i', audience: 'a' }),
        Jwks: jwtBearer({ algorithms: ['RS256'], jwksUri: 'https://issuer.example.com/jwks.json', issuer: 'i', audience: 'a' }),
      },
    })
    expect(Object.keys(local.operation([{ Hs: [] }]).responses).sort()).toEqual(['400', '401'])
    expect(Object.keys(local.operation([{ Hs: [] }, { Jwks: [] }]).responses).sort()).toEqual(['400', '401', '503'])
  })

  it('public [] cannot fail → no failure responses', () => {
    expect(auth.operation([])).toEqual({ security: [], responses: {} })
    expect(auth.operation([{}]).responses).toEqual({})
  })

  it('optional auth [{}, …] documents 400 and 401 (a presented bad credential is refused), never 403', () => {
    expect(Object.keys(auth.operation([{}, { BasicAuth: [] }]).responses).sort()).toEqual(['400', '401'])
    expect(Object.keys(auth.operation([{ OAuth2: ['pets:read'] }, {}]).responses).sort()).toEqual(['400', '401'])
  })

  it('an unknown scheme name is a config error', () => {
    expect(() => auth.operation([{ Nope: [] } as never])).toThrow(/unknown scheme "Nope"/)
  })
})

/** A value deep inside a JSON document. */
function at(value: unknown, ...keys: string[]): unknown {
  let current = value
  for (const key of keys) current = (current as Record<string, unknown> | undefined)?.[key]
  return current
}

function userDocument(): { openapi: string; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } } & Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1.0.0' },
    security: [{ BasicAuth: [] }],
    paths: {
      '/pets': {
        get: { responses: { '200': { description: 'ok' }, '401': { description: 'my own 401' } } },
        post: { security: [{ Mine: [] }], responses: { '201': { description: 'created' } } },
      },
      '/pets/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } },
      '/health': { get: { responses: { '200': { description: 'ok' } } } },
    },
    components: {
      securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'query', name: 'mine' }, Mine: { type: 'http', scheme: 'basic' } },
      schemas: { Pet: { type: 'object' } },
    },
  }
}

describe('mergeInto', () => {
  it('adds schemes, the problem schema and operation security/responses without overwriting the document', () => {
    const input = userDocument()
    const before = structuredClone(input)
    const out = auth.mergeInto(input, {
      operations: {
        'GET /pets': [{ ApiKeyAuth: [] }],
        'post /pets': [{ OAuth2: ['pets:write'] }],
        'Get /pets/{id}': [{ OAuth2: ['pets:read'] }, { Jwt: [] }],
        'GET /health': [],
      },
    })
    expect(input).toEqual(before) // the input is not modified
    // The user's scheme of the same name and the user's document security win.
    expect(out.components.securitySchemes.ApiKeyAuth).toEqual({ type: 'apiKey', in: 'query', name: 'mine' })
    expect(out.components.securitySchemes.Mine).toEqual({ type: 'http', scheme: 'basic' })
    expect(out.components.securitySchemes.OAuth2).toEqual({ type: 'oauth2', flows })
    expect(out.components.schemas.Pet).toEqual({ type: 'object' })
    expect(out.components.schemas[PROBLEM_SCHEMA_NAME]).toBeDefined()
    expect(out.security).toEqual([{ BasicAuth: [] }])
    // Operation security added where absent, kept where written; responses only where missing.
    expect(at(out, 'paths', '/pets', 'get', 'security')).toEqual([{ ApiKeyAuth: [] }])
    expect(at(out, 'paths', '/pets', 'get', 'responses', '401')).toEqual({ description: 'my own 401' })
    expect(at(out, 'paths', '/pets', 'get', 'responses', '400', 'content', 'application/problem+json', 'schema')).toEqual({ $ref: PROBLEM_SCHEMA_REF })
    expect(at(out, 'paths', '/pets', 'post', 'security')).toEqual([{ Mine: [] }])
    expect(Object.keys(at(out, 'paths', '/pets', 'post', 'responses') as object).sort()).toEqual(['201', '400', '401', '403'])
    expect(at(out, 'paths', '/pets/{id}', 'get', 'security')).toEqual([{ OAuth2: ['pets:read'] }, { Jwt: [] }])
    expect(Object.keys(at(out, 'paths', '/pets/{id}', 'get', 'responses') as object).sort()).toEqual(['200', '400', '401', '403', '503'])
    expect(at(out, 'paths', '/health', 'get')).toEqual({ security: [], responses: { '200': { description: 'ok' } } })
  })

  it('an existing problem schema of the same name is kept', () => {
    const doc = userDocument()
    doc.components.schemas[PROBLEM_SCHEMA_NAME] = { type: 'object', description: 'mine' }
    expect(mergeInto(doc, auth).components.schemas[PROBLEM_SCHEMA_NAME]).toEqual({ type: 'object', description: 'mine' })
  })

  it('adds the document security when the document has none, and creates components when missing', () => {
    const out = auth.mergeInto({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} }) as { security?: unknown; components: { securitySchemes: object } }
    expect(out.security).toEqual([{ ApiKeyAuth: [] }])
    expect(Object.keys(out.components.securitySchemes)).toEqual(['ApiKeyAuth', 'BasicAuth', 'Opaque', 'Jwt', 'OAuth2', 'Oidc'])
  })

  it('operations the document lacks and bad requirements → one config error listing them all', () => {
    let error: unknown
    try {
      auth.mergeInto(userDocument(), { operations: { 'GET /nope': [], 'DELETE /pets': [], 'GET /pets': [{ Unknown: [] } as never], bad: [] } })
    } catch (caught) {
      error = caught
    }
    expect(isAuthspecError(error) && error.code).toBe('ERR_AUTHSPEC_CONFIG')
    const message = (error as Error).message
    for (const part of ['GET /nope', 'DELETE /pets', 'unknown scheme "Unknown"', '"bad"']) expect(message).toContain(part)
  })

  it('refuses Swagger 2.0 and documents without an OpenAPI 3 version', () => {
    expect(() => auth.mergeInto({ swagger: '2.0', info: {}, paths: {} })).toThrow(/3\.0, 3\.1 or 3\.2/)
    expect(() => auth.mergeInto({ openapi: '4.0.0' })).toThrow(/3\.0, 3\.1 or 3\.2/)
  })

  for (const openapi of ['3.0.3', '3.1.0', '3.2.0']) {
    it(`a fuller merged document with operations validates against the official ${openapi} schema`, async () => {
      const doc = { ...userDocument(), openapi }
      const out = auth.mergeInto(doc, {
        operations: { 'GET /pets': [{ ApiKeyAuth: [] }], 'GET /pets/{id}': [{ OAuth2: ['pets:read'] }, { Jwt: [], ApiKeyAuth: [] }], 'GET /health': [] },
      })
      expect(await errorsOf(out)).toEqual([])
    })
  }
})

describe('OpenAPI 3.0 output: scopes only for oauth2 and openIdConnect, roles in x-authspec-security', () => {
  const roles = createAuth({
    schemes: {
      Key: apiKey({ in: 'header', name: 'X-Key', keys: { ci: 'k-123' }, scopes: () => ['admin'] }),
      OAuth2: oauth2({ flows, verify: () => ({ scope: 'pets:read' }) }),
    },
    security: [{ Key: ['admin'] }],
  })
  const requirement = [{ Key: ['admin'] }, { OAuth2: ['pets:read'] }]

  it('3.0: the roles of other schemes are emitted as [] in security, and the full requirement in x-authspec-security', () => {
    const op = roles.operation(requirement, { version: '3.0' })
    expect(op.security).toEqual([{ Key: [] }, { OAuth2: ['pets:read'] }])
    expect(op['x-authspec-security']).toEqual([{ Key: ['admin'] }, { OAuth2: ['pets:read'] }])
    const doc = roles.openapi({ version: '3.0' })
    expect(doc.security).toEqual([{ Key: [] }])
    expect(doc['x-authspec-security']).toEqual([{ Key: ['admin'] }])
  })

  it('3.1 and 3.2 keep roles in security, with no extension', () => {
    for (const version of ['3.1', '3.2'] as const) {
      const op = roles.operation(requirement, { version })
      expect(op.security).toEqual(requirement)
      expect('x-authspec-security' in op).toBe(false)
      expect('x-authspec-security' in roles.openapi({ version })).toBe(false)
    }
  })

  it('3.0 without roles needs no extension', () => {
    const op = roles.operation([{ OAuth2: ['pets:read'] }, { Key: [] }], { version: '3.0' })
    expect('x-authspec-security' in op).toBe(false)
  })

  it('mergeInto a 3.0 document carries the extension with the emptied security', () => {
    const merged = roles.mergeInto(
      { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } } },
      { operations: { 'GET /x': requirement } },
    ) as unknown as { security: unknown; 'x-authspec-security': unknown; paths: { '/x': { get: Record<string, unknown> } } }
    expect(merged.security).toEqual([{ Key: [] }])
    expect(merged['x-authspec-security']).toEqual([{ Key: ['admin'] }])
    expect(merged.paths['/x'].get.security).toEqual([{ Key: [] }, { OAuth2: ['pets:read'] }])
    expect(merged.paths['/x'].get['x-authspec-security']).toEqual(requirement)
  })

  it('fromOpenAPI reads the roles back from x-authspec-security of a 3.0 document (lossless round trip)', () => {
    const merged = roles.mergeInto(
      { openapi: '3.0.3', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } } },
      { operations: { 'GET /x': requirement } },
    )
    const again = fromOpenAPI(merged, { verifiers: { Key: { keys: { ci: 'k-123' }, scopes: () => ['admin'] }, OAuth2: { verify: () => ({ scope: 'pets:read' }) } } })
    expect(again.requirementFor('GET', '/x')).toEqual(requirement)
    expect(again.security).toEqual([{ Key: ['admin'] }])
  })
})
