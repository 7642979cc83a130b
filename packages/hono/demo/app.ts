import { apiKey, createAuth, httpBasic, httpBearer, jwtBearer, oauth2, timingSafeEqual, type AuthContext } from '@authspec/core'
import { type JwtAlgorithm } from '@authspec/core/schemes'
import { openapiDocument, protectedResource, requireAuth } from '@authspec/hono'
import { Hono } from 'hono'
import { issueDevApiKey, issuedKeys } from './dev-api-key.js'
import { issueDevToken } from './dev-token.js'
import { DEMO_OPERATIONS } from './docs-text.js'
import { PetStore } from './pets.js'

/** Secrets the demo reads from its environment (Node: process.env; Workers: env bindings). */
export interface DemoBindings {
  /** The demo API key (header `X-API-Key`). */
  DEMO_API_KEY: string
  /** HTTP Basic user name and password. */
  DEMO_BASIC_USER: string
  DEMO_BASIC_PASSWORD: string
  /** An opaque bearer token with scope `pets:read`. */
  DEMO_OPAQUE_TOKEN: string
}

/** Where JWTs (JwtBearer and OAuth2 schemes) are verified from. */
export type DemoJwtKeys = { algorithms: readonly JwtAlgorithm[] } & ({ secret: string } | { jwksUri: string })

/** Options of {@link createDemoApp}. */
export interface DemoOptions {
  jwt: DemoJwtKeys
  /** Expected `iss` and `aud` of JWTs. */
  issuer: string
  audience: string
  /**
   * Mount the development-only token endpoint `POST /dev/token` (OAuth2 client credentials),
   * which signs HS256 tokens with `jwt.secret` for this client. Never enable in production.
   */
  devTokens?: { clientId: string; clientSecret: string }
  /** Mount the development-only `POST /dev/api-key`, which issues `IssuedKey` keys. Never enable in production. */
  devApiKeys?: boolean
  /** Markdown `info.description` of the OpenAPI document. */
  description?: string
  /**
   * The API's public URL as an OAuth 2.0 protected resource (RFC 9728): the demo then serves
   * `/.well-known/oauth-protected-resource` and its Bearer challenges name it in `resource_metadata`.
   */
  resource?: string
  /** Serve Swagger UI at `/docs` from these files (see `swaggerDocs`; Node reads them from swagger-ui-dist). */
  docs?: { files: Record<string, { body: string; type: string }>; html: string }
}

const env = (ctx: AuthContext): DemoBindings => ctx.env as DemoBindings

/** The demo's auth: every scheme type, secrets read from `ctx.env` (Workers bindings) at request time. */
export function createDemoAuth(options: DemoOptions, issued = issuedKeys()) {
  const { jwt, issuer, audience } = options
  const keys = 'secret' in jwt ? { secret: jwt.secret } : { jwksUri: jwt.jwksUri }
  return createAuth({
    realm: 'pets',
    ...(options.resource === undefined ? {} : { resource: options.resource }),
    schemes: {
      ApiKeyAuth: apiKey({
        in: 'header',
        name: 'X-API-Key',
        description: 'Demo API key',
        verify: (key, ctx) => (timingSafeEqual(key, env(ctx).DEMO_API_KEY) ? { keyId: 'demo' } : null),
      }),
      BasicAuth: httpBasic({
        description: 'Demo user and password',
        verify: ({ username, password }, ctx) => {
          const { DEMO_BASIC_USER, DEMO_BASIC_PASSWORD } = env(ctx)
          const ok = Number(timingSafeEqual(username, DEMO_BASIC_USER)) & Number(timingSafeEqual(password, DEMO_BASIC_PASSWORD))
          return ok === 1 ? { username } : null
        },
      }),
      OpaqueToken: httpBearer({
        description: 'Opaque demo token (scope pets:read)',
        bearerFormat: 'opaque',
        verify: (token, ctx) => (timingSafeEqual(token, env(ctx).DEMO_OPAQUE_TOKEN) ? { session: 'demo', scopes: ['pets:read'] } : null),
        scopes: (session) => session.scopes,
      }),
      JwtBearer: jwtBearer({ description: 'A JWT (get one from POST /dev/token)', algorithms: jwt.algorithms, ...keys, issuer, audience }),
      OAuth2: oauth2({
        description: 'OAuth2 client credentials against the development token endpoint',
        flows: {
          clientCredentials: {
            tokenUrl: '/dev/token',
            scopes: { 'pets:read': 'Read pets', 'pets:write': 'Add and remove pets' },
          },
        },
        token: { algorithms: jwt.algorithms, ...keys, issuer, audience },
      }),
      IssuedKey: issued.scheme,
    },
  })
}

/** The pets API: a public route, one route per scheme, an OR route, an AND route and scoped routes. */
export function createDemoApp(options: DemoOptions) {
  const issued = issuedKeys()
  const auth = createDemoAuth(options, issued)
  const pets = new PetStore()
  const app = new Hono<{ Bindings: DemoBindings }>()

  if (options.resource !== undefined) app.use(protectedResource(auth))
  app.get('/health', (c) => c.json({ ok: true }))
  // OR: any one of the credentials.
  app.get('/pets', requireAuth(auth, [{ ApiKeyAuth: [] }, { BasicAuth: [] }, { OpaqueToken: ['pets:read'] }, { JwtBearer: [] }, { OAuth2: ['pets:read'] }, { IssuedKey: [] }]), (c) =>
    c.json(pets.list()),
  )
  app.get('/pets/:id', requireAuth(auth, [{ ApiKeyAuth: [] }]), (c) => {
    const pet = pets.get(c.req.param('id'))
    return pet === undefined ? c.json({ error: 'not found' }, 404) : c.json({ ...pet, keyId: c.var.auth.principals.ApiKeyAuth.keyId })
  })
  // Scoped: pets:write from OAuth2 (client credentials), a JWT, or an opaque token (the demo one has pets:read only: 403).
  app.post('/pets', requireAuth(auth, [{ OAuth2: ['pets:write'] }, { JwtBearer: ['pets:write'] }, { OpaqueToken: ['pets:write'] }]), async (c) => {
    const body = await c.req.json<{ name?: unknown; species?: unknown }>().catch(() => ({}) as { name?: unknown; species?: unknown })
    if (typeof body.name !== 'string' || body.name.length === 0) return c.json({ error: 'name required' }, 400)
    const { OAuth2, JwtBearer, OpaqueToken } = c.var.auth.principals
    const by = (OAuth2 ?? JwtBearer)?.claims.sub ?? OpaqueToken?.session ?? 'unknown'
    return c.json(pets.add(body.name, typeof body.species === 'string' ? body.species : 'unknown', by), 201)
  })
  // AND: both an API key and Basic credentials.
  app.delete('/pets/:id', requireAuth(auth, [{ ApiKeyAuth: [], BasicAuth: [] }]), (c) =>
    pets.remove(c.req.param('id')) ? c.body(null, 204) : c.json({ error: 'not found' }, 404),
  )
  app.get('/me', requireAuth(auth, [{ BasicAuth: [] }]), (c) => c.json({ username: c.var.auth.principals.BasicAuth.username }))
  app.get('/session', requireAuth(auth, [{ OpaqueToken: [] }]), (c) => c.json(c.var.auth.principals.OpaqueToken))
  app.get('/token', requireAuth(auth, [{ JwtBearer: [] }]), (c) => c.json({ claims: c.var.auth.principals.JwtBearer.claims, scopes: c.var.auth.scopes }))
  app.get('/stats', requireAuth(auth, [{ OAuth2: ['pets:read', 'pets:write'] }]), (c) => c.json({ pets: pets.list().length, scopes: c.var.auth.scopes }))

  const { devTokens, docs } = options
  if (options.devApiKeys === true) app.post('/dev/api-key', (c) => issueDevApiKey(c, issued.store))
  if (devTokens !== undefined && 'secret' in options.jwt) {
    const signing = { secret: options.jwt.secret, issuer: options.issuer, audience: options.audience, ...devTokens }
    app.post('/dev/token', (c) => issueDevToken(c, signing))
  }

  let document: ReturnType<typeof openapiDocument> | undefined
  app.get('/openapi.json', (c) => {
    document ??= openapiDocument(app, {
      info: { title: 'authspec pets demo', version: '1.0.0', description: options.description ?? 'A pets API protected by authspec.' },
      tags: [{ name: 'pets' }, { name: 'whoami' }, { name: 'meta' }],
      operations: DEMO_OPERATIONS,
      exclude: (path) => path === '/openapi.json' || path.startsWith('/docs') || path.startsWith('/dev/'),
    })
    return c.json(document)
  })
  if (docs !== undefined) {
    app.get('/docs', (c) => c.html(docs.html))
    app.get('/docs/:file', (c) => {
      const name = c.req.param('file')
      // Own entries only: `/docs/constructor` must be a 404, not Object's constructor (a 500).
      const file = Object.hasOwn(docs.files, name) ? docs.files[name] : undefined
      if (file === undefined) return c.notFound()
      return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'public, max-age=3600' })
    })
  }
  return { app, auth }
}
