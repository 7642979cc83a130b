import { expect, it } from 'vitest'
import { configErrorOf, describeTypos, type TypoCase } from '../test/support/config-error.js'
import { createAuth } from './create-auth.js'
import { fromOpenAPI } from './openapi/from-openapi.js'
import { apiKey } from './schemes/api-key.js'
import { httpBasic } from './schemes/http-basic.js'
import { httpBearer } from './schemes/http-bearer.js'
import { jwtBearer } from './schemes/jwt-bearer.js'
import { oauth2 } from './schemes/oauth2.js'
import { openIdConnect } from './schemes/open-id-connect.js'

const SECRET = 'a-secret-of-at-least-thirty-two-bytes!'
const JWT = { algorithms: ['HS256'], secret: SECRET, issuer: 'i', audience: 'a' } as const
const FLOWS = { clientCredentials: { tokenUrl: '/token', scopes: { read: 'Read' } } }

const cases: TypoCase[] = [
  ['createAuth', 'secuirty', 'security', () => createAuth({ schemes: { K: apiKey({ in: 'header', name: 'K', keys: { a: 'k-0123' } }) }, secuirty: [] } as never)],
  ['apiKey', 'key', 'keys', () => apiKey({ in: 'header', name: 'X-Key', key: { a: 'k-0123' } } as never)],
  ['apiKey', 'verfy', 'verify', () => apiKey({ in: 'header', name: 'X-Key', verfy: () => ({}) } as never)],
  ['httpBasic', 'user', 'users', () => httpBasic({ user: { admin: 'pw' } } as never)],
  ['httpBearer', 'scope', 'scopes', () => httpBearer({ verify: () => ({}), scope: () => [] } as never)],
  ['jwtBearer', 'jwksUrl', 'jwksUri', () => jwtBearer({ algorithms: ['RS256'], jwksUrl: 'https://issuer/jwks', issuer: 'i', audience: 'a' } as never)],
  ['jwtBearer', 'audiance', 'audience', () => jwtBearer({ ...JWT, audience: 'a', audiance: 'b' } as never)],
  ['oauth2', 'flow', 'flows', () => oauth2({ flows: FLOWS, flow: {}, token: JWT } as never)],
  ['oauth2: token', 'clockTolerence', 'clockTolerance', () => oauth2({ flows: FLOWS, token: { ...JWT, clockTolerence: 10 } } as never)],
  [
    'openIdConnect',
    'openIdConnectUri',
    'openIdConnectUrl',
    () => openIdConnect({ openIdConnectUrl: 'https://op/.well-known/openid-configuration', openIdConnectUri: 'x', algorithms: ['RS256'], audience: 'a' } as never),
  ],
  ['remoteKeys', 'timeout', 'timeoutDuration', () => jwtBearer({ algorithms: ['RS256'], jwksUri: 'https://issuer/jwks', issuer: 'i', audience: 'a', remoteKeys: { timeout: 100 } } as never)],
  ['cache', 'ttl', 'maxTtl', () => jwtBearer({ ...JWT, cache: { ttl: 10 } } as never)],
]

describeTypos('unknown options are a config error naming the nearest known option', cases, () => {

  it('fromOpenAPI: a verifier with a typo names the scheme and the nearest option of its factory', () => {
    const document = {
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        securitySchemes: {
          Key: { type: 'apiKey', in: 'header', name: 'X-Key' },
          Jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        },
      },
    }
    const typoKey = configErrorOf(() => fromOpenAPI(document, { verifiers: { Key: { verfy: () => ({}) }, Jwt: { verify: () => ({}) } } } as never))
    expect(typoKey.message).toContain('"Key"')
    expect(typoKey.message).toContain('did you mean "verify"?')
    // A bearer verifier may be opaque or JWT options: the hint comes from both.
    const typoJwt = configErrorOf(() => fromOpenAPI(document, { verifiers: { Key: { verify: () => ({}) }, Jwt: { ...JWT, algorithms: ['HS256'], jwksUrl: 'x' } } } as never))
    expect(typoJwt.message).toContain('did you mean "jwksUri"?')
    const typoOpaque = configErrorOf(() => fromOpenAPI(document, { verifiers: { Key: { verify: () => ({}) }, Jwt: { verify: () => ({}), algorithm: ['HS256'] } } } as never))
    expect(typoOpaque.message).toContain('did you mean "algorithms"?')
  })

  it('fromOpenAPI: a typo in its own options is a config error too', () => {
    const document = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {}, components: { securitySchemes: { Key: { type: 'apiKey', in: 'header', name: 'X-Key' } } } }
    const error = configErrorOf(() => fromOpenAPI(document, { verifiers: { Key: { verify: () => ({}) } }, undeclaredScope: 'check' } as never))
    expect(error.message).toContain('did you mean "undeclaredScopes"?')
  })

  it('every known option still works (no false positives on full option objects)', () => {
    expect(() =>
      apiKey({ in: 'header', name: 'X-Key', verify: () => ({}), scopes: () => [], description: 'd', realm: 'r', extensions: { 'x-a': 1 } }),
    ).not.toThrow()
    expect(() =>
      jwtBearer({
        ...JWT,
        clockTolerance: 1,
        maxTokenAge: 60,
        requiredClaims: ['sub'],
        typ: 'at+jwt',
        claims: () => true,
        scopeClaim: 'scope',
        cache: { max: 10, maxTtl: 5 },
        maxTokenLength: 100,
        allowQuery: true,
        description: 'd',
        realm: 'r',
        extensions: {},
      }),
    ).not.toThrow()
    expect(() =>
      jwtBearer({
        algorithms: ['RS256'],
        jwksUri: 'https://issuer/jwks',
        issuer: 'i',
        audience: 'a',
        remoteKeys: { timeoutDuration: 1, cooldownDuration: 1, cacheMaxAge: 1, failureTtl: 1, fetch: globalThis.fetch, store: { get: () => null, set: () => undefined } },
      }),
    ).not.toThrow()
  })
})
