import { describe, expect, it } from 'vitest'
import { createAuth } from '../create-auth.js'
import { apiKey } from '../schemes/api-key.js'
import { httpBearer } from '../schemes/http-bearer.js'
import { jwtBearer } from '../schemes/jwt-bearer.js'
import { oauth2 } from '../schemes/oauth2.js'
import { openIdConnect } from '../schemes/open-id-connect.js'
import type { RequestLike } from '../types.js'

const RESOURCE = 'https://api.example.com/mcp'
const SECRET = 's'.repeat(32)
const request = (headers: Record<string, string> = {}): RequestLike => ({
  method: 'GET',
  url: 'https://api.example.com/mcp',
  headers: { get: (name) => headers[name.toLowerCase()] ?? null },
})

function resourceAuth() {
  return createAuth({
    resource: RESOURCE,
    protectedResource: { resourceDocumentation: 'https://docs.example.com/mcp', resourceName: 'Example MCP' },
    schemes: {
      OAuth2: oauth2({
        flows: { clientCredentials: { tokenUrl: 'https://as.example.com/token', scopes: { 'mcp:read': 'Read', 'mcp:write': 'Write' } } },
        token: { algorithms: ['HS256'], secret: SECRET, issuer: 'https://as.example.com' },
      }),
      Oidc: openIdConnect({ openIdConnectUrl: 'https://login.example.com/.well-known/openid-configuration', algorithms: ['RS256'] }),
      Key: apiKey({ in: 'header', name: 'X-API-Key', verify: () => null }),
    },
  })
}

describe('RFC 9728 protected-resource metadata (createAuth({ resource }))', () => {
  it('names the resource, the oauth2/OIDC issuers, the declared scopes, the bearer methods and the documentation', () => {
    const auth = resourceAuth()
    expect(auth.protectedResourceMetadata()).toEqual({
      resource: RESOURCE,
      authorization_servers: ['https://as.example.com', 'https://login.example.com'],
      scopes_supported: ['mcp:read', 'mcp:write'],
      bearer_methods_supported: ['header'],
      resource_documentation: 'https://docs.example.com/mcp',
      resource_name: 'Example MCP',
    })
    expect(auth.resourceMetadataUrl).toBe('https://api.example.com/.well-known/oauth-protected-resource/mcp')
  })

  it('explicit authorizationServers and scopesSupported replace the derived ones; a root resource has the plain well-known URL', () => {
    const auth = createAuth({
      resource: 'https://API.example.com',
      protectedResource: { authorizationServers: ['https://as.test'], scopesSupported: ['a'] },
      schemes: { Bearer: httpBearer({ verify: () => null, allowQuery: true }) },
    })
    expect(auth.protectedResourceMetadata()).toMatchObject({ authorization_servers: ['https://as.test'], scopes_supported: ['a'], bearer_methods_supported: ['header', 'query'] })
    expect(auth.resourceMetadataUrl).toBe('https://api.example.com/.well-known/oauth-protected-resource')
  })

  it('a 401 Bearer challenge names the metadata and the scopes the requirement asks; apiKey challenges do not', async () => {
    const auth = resourceAuth()
    const result = await auth.authenticate(request(), [{ OAuth2: ['mcp:read'] }, { OAuth2: ['mcp:write'], Key: [] }])
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.status).toBe(401)
    expect(result.challenges).toEqual([
      'Bearer realm="api", scope="mcp:read mcp:write", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"',
      'APIKey realm="api", in="header", name="X-API-Key"',
    ])
  })

  it('401 invalid_token and 403 insufficient_scope carry scope and resource_metadata', async () => {
    const { SignJWT } = await import('jose')
    const auth = resourceAuth()
    const key = new TextEncoder().encode(SECRET)
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuer('https://as.example.com').setExpirationTime('5m').sign(key)
    const metadata = 'resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"'
    const narrow = await auth.authenticate(request({ authorization: `Bearer ${await sign({ aud: RESOURCE, scope: 'mcp:read' })}` }), [{ OAuth2: ['mcp:write'] }])
    expect(narrow.ok || [narrow.status, narrow.challenges]).toEqual([403, [`Bearer realm="api", error="insufficient_scope", scope="mcp:write", ${metadata}`]])
    const bad = await auth.authenticate(request({ authorization: 'Bearer not-a-jwt' }), [{ OAuth2: ['mcp:read'] }])
    expect(bad.ok || [bad.status, bad.challenges]).toEqual([401, [`Bearer realm="api", error="invalid_token", scope="mcp:read", ${metadata}`]])
  })

  it('without resource, challenges stay as before and protectedResourceMetadata() is a config error', async () => {
    const auth = createAuth({ schemes: { B: httpBearer({ verify: () => null, scopes: () => [] }) } })
    const result = await auth.authenticate(request(), [{ B: ['x'] }])
    expect(result.ok || result.challenges).toEqual(['Bearer realm="api"'])
    expect(() => auth.protectedResourceMetadata()).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    expect(auth.resourceMetadataUrl).toBeUndefined()
  })

  it('a bad resource or protectedResource option is refused at createAuth', () => {
    const schemes = { B: httpBearer({ verify: () => null }) }
    for (const resource of ['api', 'ftp://x.test/', 'https://x.test/#f', '']) {
      expect(() => createAuth({ resource, schemes })).toThrow(expect.objectContaining({ code: 'ERR_AUTHSPEC_CONFIG' }))
    }
    expect(() => createAuth({ protectedResource: {}, schemes })).toThrow(/needs a resource/)
    expect(() => createAuth({ resource: RESOURCE, protectedResource: { authorizationServer: ['x'] } as never, schemes })).toThrow(/protectedResource: unknown option "authorizationServer" \(did you mean "authorizationServers"\?\)/)
    expect(() => createAuth({ resource: RESOURCE, protectedResource: { resourceDocumentation: 'docs' }, schemes })).toThrow(/absolute/)
  })

  it('jwtBearer issuers are not authorization servers (only oauth2 and openIdConnect are)', () => {
    const auth = createAuth({ resource: RESOURCE, schemes: { J: jwtBearer({ algorithms: ['HS256'], secret: SECRET, issuer: 'https://j.test' }) } })
    expect(auth.protectedResourceMetadata().authorization_servers).toBeUndefined()
  })
})
