import { describe, expectTypeOf, it } from 'vitest'
import { createAuth, jwtBearer, oauth2, openIdConnect, type JwtPrincipal } from '../../src/index.js'

declare const request: Request

describe('JWT principal types', () => {
  it('jwtBearer, oauth2 and openIdConnect give { token, header, claims } with the claims generic', async () => {
    const auth = createAuth({
      schemes: {
        Jwt: jwtBearer<{ tenant: string }>({ algorithms: ['RS256'], jwksUri: 'https://i.test/jwks', issuer: 'https://i.test', audience: 'api' }),
        OAuth2: oauth2({
          flows: { clientCredentials: { tokenUrl: '/token', scopes: { read: 'Read' } } },
          token: { algorithms: ['ES256'], jwksUri: 'https://i.test/jwks', issuer: 'https://i.test', audience: 'api' },
        }),
        Intro: oauth2({ flows: { clientCredentials: { tokenUrl: '/token', scopes: {} } }, verify: () => ({ clientId: 'c' }) }),
        Oidc: openIdConnect<{ email: string }>({ openIdConnectUrl: 'https://i.test/.well-known/openid-configuration', algorithms: ['RS256'], audience: 'api' }),
      },
    })
    const result = await auth.authenticate(request, [{ Jwt: [], OAuth2: ['read'], Intro: [], Oidc: [] }])
    if (result.ok) {
      expectTypeOf(result.principals.Jwt.claims.tenant).toEqualTypeOf<string>()
      expectTypeOf(result.principals.Jwt.token).toEqualTypeOf<string>()
      expectTypeOf(result.principals.OAuth2).toEqualTypeOf<JwtPrincipal>()
      expectTypeOf(result.principals.Intro).toEqualTypeOf<{ clientId: string }>()
      expectTypeOf(result.principals.Oidc.claims.email).toEqualTypeOf<string>()
    }
  })

  it('algorithms are a closed union: "none" does not type-check', () => {
    // @ts-expect-error "none" is not a JwtAlgorithm
    jwtBearer({ algorithms: ['none'], secret: 'x'.repeat(32), issuer: false, audience: false })
  })
})
