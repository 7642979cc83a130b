import { apiKey, createAuth, httpBasic, httpBearer, jwtBearer, timingSafeEqual } from '@authspec/core'

/** Development-only credentials (override with env variables); printed by the server at start. */
export interface DemoCredentials {
  /** Header `X-API-Key`. */
  apiKey: string
  basicUser: string
  basicPassword: string
  /** Opaque bearer token with scope `pets:read` only. */
  opaqueToken: string
  /** Opaque bearer token with `pets:read pets:write`. */
  writerToken: string
  /** HS256 secret of the JwtBearer scheme (at least 32 bytes). */
  jwtSecret: string
}

/** Expected `iss` and `aud` of JWTs (the same as the Hono demo's). */
export const DEMO_ISSUER = 'urn:authspec:demo'
export const DEMO_AUDIENCE = 'pets-api'

export function demoCredentials(env: Record<string, string | undefined> = {}): DemoCredentials {
  return {
    apiKey: env.DEMO_API_KEY ?? 'demo-api-key',
    basicUser: env.DEMO_BASIC_USER ?? 'demo',
    basicPassword: env.DEMO_BASIC_PASSWORD ?? 'demo-password',
    opaqueToken: env.DEMO_OPAQUE_TOKEN ?? 'demo-opaque-token',
    writerToken: env.DEMO_WRITER_TOKEN ?? 'demo-writer-token',
    jwtSecret: env.DEMO_JWT_SECRET ?? 'demo-jwt-secret-for-local-use-only-32+',
  }
}

/** The pets API's schemes, named as in the Hono demo: API key header, HTTP Basic, opaque bearer, JWT. */
export function createPetsAuth(credentials: DemoCredentials) {
  const sessions: [string, { session: string; scopes: string[] }][] = [
    [credentials.opaqueToken, { session: 'demo', scopes: ['pets:read'] }],
    [credentials.writerToken, { session: 'writer', scopes: ['pets:read', 'pets:write'] }],
  ]
  return createAuth({
    realm: 'pets',
    schemes: {
      ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: credentials.apiKey }, description: 'Demo API key' }),
      BasicAuth: httpBasic({ users: { [credentials.basicUser]: credentials.basicPassword }, description: 'Demo user and password' }),
      OpaqueToken: httpBearer({
        bearerFormat: 'opaque',
        description: 'Opaque demo token',
        verify: (token) => {
          let found: { session: string; scopes: string[] } | null = null
          for (const [known, session] of sessions) if (timingSafeEqual(token, known) && found === null) found = session
          return found
        },
        scopes: (session) => session.scopes,
      }),
      JwtBearer: jwtBearer({
        description: 'An HS256 JWT',
        algorithms: ['HS256'],
        secret: credentials.jwtSecret,
        issuer: DEMO_ISSUER,
        audience: DEMO_AUDIENCE,
      }),
    },
  })
}

export type PetsAuth = ReturnType<typeof createPetsAuth>
