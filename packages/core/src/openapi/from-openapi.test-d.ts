import { describe, expectTypeOf, it } from 'vitest'
import { apiKey, fromOpenAPI, type BasicCredentials, type JwtPrincipal, type OpenAPIAuth, type PrincipalOf } from '../index.js'

interface Account {
  id: string
  plan: 'free' | 'pro'
}
interface Session {
  user: string
  scopes: readonly string[]
}

const document = {
  openapi: '3.1.0',
  info: { title: 'Pets', version: '1' },
  security: [{ ApiKeyAuth: [] }],
  paths: { '/pets': { get: { security: [{ Opaque: [] }, { ApiKeyAuth: [], BasicAuth: [] }], responses: {} } } },
  components: {
    securitySchemes: {
      ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      BasicAuth: { type: 'http', scheme: 'Basic' },
      Opaque: { type: 'http', scheme: 'bearer' },
      Jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      OAuth2: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: '/token', scopes: { 'pets:read': 'read' } } } },
      Oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://op.example/.well-known/openid-configuration' },
    },
  },
} as const

const jwt = { algorithms: ['RS256'], jwksUri: 'https://op.example/jwks', issuer: 'https://op.example', audience: 'api' } as const

const auth = fromOpenAPI(document, {
  verifiers: {
    ApiKeyAuth: {
      verify: (key) => {
        expectTypeOf(key).toEqualTypeOf<string>()
        return key === 'k' ? ({ id: key, plan: 'pro' } as Account) : null
      },
    },
    BasicAuth: {
      verify: async (credentials) => {
        expectTypeOf(credentials).toEqualTypeOf<BasicCredentials>()
        return { username: credentials.username }
      },
    },
    Opaque: { verify: (token): Session | null => ({ user: token, scopes: [] }), scopes: (session: Session) => session.scopes },
    Jwt: jwt,
    OAuth2: { token: jwt },
    Oidc: { algorithms: ['ES256'], audience: 'api' },
  },
})
declare const request: Request
/** The principal type of a scheme, as a value for expectTypeOf. */
declare function principalOf<S>(scheme: S): PrincipalOf<S>

describe('fromOpenAPI with a document known at compile time', () => {
  it('infers each principal from its verifier: verify result, JWT options → JwtPrincipal', () => {
    expectTypeOf(principalOf(auth.schemes.ApiKeyAuth)).toEqualTypeOf<Account>()
    expectTypeOf(principalOf(auth.schemes.BasicAuth)).toEqualTypeOf<{ username: string }>()
    expectTypeOf(principalOf(auth.schemes.Opaque)).toEqualTypeOf<Session>()
    expectTypeOf(principalOf(auth.schemes.Jwt)).toEqualTypeOf<JwtPrincipal>()
    expectTypeOf(principalOf(auth.schemes.OAuth2)).toEqualTypeOf<JwtPrincipal>()
    expectTypeOf(principalOf(auth.schemes.Oidc)).toEqualTypeOf<JwtPrincipal>()
  })

  it('authenticate types principals and narrows on alternative, as createAuth does', async () => {
    const result = await auth.authenticate(request, [{ Opaque: [] }, { ApiKeyAuth: [], BasicAuth: [] }])
    if (result.ok && result.alternative === 1) {
      expectTypeOf(result.principals.ApiKeyAuth).toEqualTypeOf<Account>()
      expectTypeOf(result.principals.BasicAuth).toEqualTypeOf<{ username: string }>()
    }
    // @ts-expect-error Nope is not a scheme of the document
    void auth.authenticate(request, [{ Nope: [] }])
  })

  it('a typed auth is still an OpenAPIAuth (what adapters and enforceOpenAPI take)', () => {
    expectTypeOf(auth).toExtend<OpenAPIAuth>()
  })

  it('requirementFor feeds authenticate', async () => {
    const requirement = auth.requirementFor('GET', '/pets')
    if (requirement !== undefined) {
      const result = await auth.authenticate(request, requirement)
      if (result.ok) expectTypeOf(result.alternative).toEqualTypeOf<number>()
    }
  })

  it('static keys and users give { id } and { username }', () => {
    const doc = { openapi: '3.0.3', components: { securitySchemes: { K: { type: 'apiKey', in: 'query', name: 'k' }, B: { type: 'http', scheme: 'basic' } } } } as const
    const a = fromOpenAPI(doc, { verifiers: { K: { keys: { ci: 'secret-0123456789' } }, B: { users: { ann: 'pw' } } } })
    expectTypeOf(principalOf(a.schemes.K)).toEqualTypeOf<{ id: string }>()
    expectTypeOf(principalOf(a.schemes.B)).toEqualTypeOf<{ username: string }>()
  })

  it('a ready Scheme keeps its own principal type', () => {
    const doc = { openapi: '3.1.0', components: { securitySchemes: { T: { type: 'mutualTLS' } } } } as const
    const custom = apiKey({ in: 'header', name: 'X-Client-Cert-Id', verify: (id) => ({ certificate: id }) })
    const imported = fromOpenAPI(doc, { verifiers: { T: custom } })
    expectTypeOf(principalOf(imported.schemes.T)).toEqualTypeOf<{ certificate: string }>()
  })

  it('an inline document works like an as-const one', () => {
    const a = fromOpenAPI(
      { openapi: '3.1.0', components: { securitySchemes: { K: { type: 'apiKey', in: 'header', name: 'X-K' } } } },
      { verifiers: { K: { verify: (key) => ({ key }) } } },
    )
    expectTypeOf(principalOf(a.schemes.K)).toEqualTypeOf<{ key: string }>()
  })
})

describe('fromOpenAPI refuses at compile time what it refuses at start-up', () => {
  const doc = {
    openapi: '3.1.0',
    paths: { '/x': { get: { security: [{ Ghost: [] }], responses: {} } } },
    components: { securitySchemes: { K: { type: 'apiKey', in: 'header', name: 'X-K' }, J: { type: 'http', scheme: 'bearer' } } },
  } as const
  const ghost = apiKey({ in: 'header', name: 'X-Ghost', keys: { g: 'ghost-0123456789' } })

  it('a misspelt option (verfy)', () => {
    // @ts-expect-error verfy is not an option of an apiKey verifier
    fromOpenAPI(doc, { verifiers: { K: { verfy: (key: string) => ({ key }) }, J: { verify: () => ({}) }, Ghost: ghost } })
  })

  it('a verifier for a scheme the document does not declare, and a missing one', () => {
    // @ts-expect-error Kye is not a scheme of the document
    fromOpenAPI(doc, { verifiers: { K: { keys: {} }, Kye: { keys: {} }, J: { verify: () => ({}) }, Ghost: ghost } })
    // @ts-expect-error J has no verifier
    fromOpenAPI(doc, { verifiers: { K: { keys: {} }, Ghost: ghost } })
  })

  it('options of another scheme type, or options the document already says', () => {
    // @ts-expect-error users is httpBasic's option, K is an apiKey
    fromOpenAPI(doc, { verifiers: { K: { users: { ann: 'pw' } }, J: { verify: () => ({}) }, Ghost: ghost } })
    // @ts-expect-error `in` comes from the document
    fromOpenAPI(doc, { verifiers: { K: { keys: {}, in: 'query' }, J: { verify: () => ({}) }, Ghost: ghost } })
  })

  it('JWT options without algorithms, and verify together with algorithms', () => {
    // @ts-expect-error algorithms is required
    fromOpenAPI(doc, { verifiers: { K: { keys: {} }, J: { issuer: 'https://iss', audience: 'api', secret: 'x' }, Ghost: ghost } })
    // @ts-expect-error verify (opaque) and algorithms (JWT) exclude each other
    fromOpenAPI(doc, { verifiers: { K: { keys: {} }, J: { verify: () => ({}), algorithms: ['HS256'], issuer: false, audience: false }, Ghost: ghost } })
  })

  it('a used but undeclared name needs a ready Scheme', () => {
    // @ts-expect-error Ghost is not declared, so options cannot say what it is
    fromOpenAPI(doc, { verifiers: { K: { keys: {} }, J: { verify: () => ({}) }, Ghost: { keys: {} } } })
  })

  it('a verify that returns a non-object', () => {
    // @ts-expect-error a principal is an object; true is not
    fromOpenAPI(doc, { verifiers: { K: { verify: () => true }, J: { verify: () => ({}) }, Ghost: ghost } })
  })
})

describe('fromOpenAPI with a document typed loosely (parsed YAML or JSON)', () => {
  const parsed: unknown = JSON.parse('{}')

  it('names come from the verifiers, principals from each verify', () => {
    const a = fromOpenAPI(parsed, { verifiers: { Key: { verify: (key: string) => ({ key }) }, Basic: { users: { ann: 'pw' } } } })
    expectTypeOf(principalOf(a.schemes.Key)).toEqualTypeOf<{ key: string }>()
    expectTypeOf(principalOf(a.schemes.Basic)).toEqualTypeOf<{ username: string }>()
  })

  it('options are still checked against every scheme type', () => {
    // @ts-expect-error verfy is no scheme's option
    fromOpenAPI(parsed, { verifiers: { Key: { verfy: (key: string) => ({ key }) } } })
  })
})
