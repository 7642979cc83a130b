import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth } from '../../src/create-auth.js'
import { oauth2 } from '../../src/schemes/oauth2.js'
import { openIdConnect } from '../../src/schemes/open-id-connect.js'
import { createTestKey } from '../../src/testing/index.js'
import { bearerRequest } from './helpers.js'

const API = 'https://pets.api.test'
const CLIENT = { client_id: 'pets-service', client_secret: 'a-client-secret-long-enough-for-the-test-0123456789' }
let server: Server
let issuer = ''
let handler: (req: IncomingMessage, res: ServerResponse) => void
const hits: Record<string, number> = {}

async function provider(): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  const key = await createTestKey('RS256')
  const instance = new Provider(issuer, {
    clients: [{ ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'pets:read pets:write', token_endpoint_auth_method: 'client_secret_post' }],
    jwks: { keys: [key.privateJwk as never] },
    scopes: ['pets:read', 'pets:write'],
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({ scope: 'pets:read pets:write', audience: API, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
      },
    },
  })
  return instance.callback()
}

async function token(scope: string): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: API, ...CLIENT }),
  })
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string }
  if (body.access_token === undefined) throw new Error(`token endpoint: ${response.status} ${body.error}: ${body.error_description}`)
  return body.access_token
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?', 1)[0]!
    hits[path] = (hits[path] ?? 0) + 1
    handler(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  handler = await provider()
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('against a real OpenID provider (oidc-provider, client credentials, JWT access tokens)', () => {
  let auth: ReturnType<typeof build>
  const build = () =>
    createAuth({
      schemes: {
        Oidc: openIdConnect({
          openIdConnectUrl: `${issuer}/.well-known/openid-configuration`,
          algorithms: ['RS256'],
          audience: API,
          typ: 'at+jwt',
          remoteKeys: { cooldownDuration: 0 },
        }),
        OAuth2: oauth2({
          flows: { clientCredentials: { tokenUrl: `${issuer}/token`, scopes: { 'pets:read': 'Read pets', 'pets:write': 'Write pets' } } },
          token: { algorithms: ['RS256'], jwksUri: `${issuer}/jwks`, issuer, audience: API, remoteKeys: { cooldownDuration: 0 } },
        }),
      },
    })
  /** A tiny API: 200 with the claims, or the failure response. */
  const api = async (requirement: Parameters<typeof auth.authenticate>[1], bearer: string): Promise<Response> => {
    const result = await auth.authenticate(bearerRequest(bearer), requirement)
    if (!result.ok) return result.response
    const principal = (result.principals as Record<string, { claims: object }>)[Object.keys(result.principals)[0]!]!
    return Response.json(principal.claims)
  }

  beforeAll(() => {
    auth = build()
  })

  it('a client-credentials token with the scope → 200 with its claims, through discovery (openIdConnect) and through oauth2', async () => {
    const access = await token('pets:read')
    for (const requirement of [[{ Oidc: ['pets:read'] }], [{ OAuth2: ['pets:read'] }]]) {
      const response = await api(requirement, access)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ iss: issuer, aud: API, client_id: CLIENT.client_id, scope: 'pets:read' })
    }
    expect(hits['/.well-known/openid-configuration']).toBe(1)
  })

  it('a token without the required scope → 403 insufficient_scope with scope="…"', async () => {
    const access = await token('pets:read')
    for (const requirement of [[{ Oidc: ['pets:write'] }], [{ OAuth2: ['pets:write'] }]]) {
      const response = await api(requirement, access)
      expect(response.status).toBe(403)
      expect(response.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="pets:write"')
    }
  })

  it('a tampered token → 401 invalid_token', async () => {
    const access = await token('pets:read pets:write')
    const [h, p, s] = access.split('.')
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`
    const response = await api([{ Oidc: [] }], forged)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('after the provider rotates its keys, the new kid is accepted after one JWKS refetch per scheme', async () => {
    expect((await api([{ Oidc: [] }], await token('pets:read'))).status).toBe(200)
    const before = hits['/jwks'] ?? 0
    handler = await provider() // restarted with a new signing key (new kid), same issuer
    const access = await token('pets:read')
    expect((await api([{ Oidc: ['pets:read'] }], access)).status).toBe(200)
    expect((await api([{ OAuth2: ['pets:read'] }], access)).status).toBe(200)
    expect(hits['/jwks']! - before).toBe(2)
    expect((await api([{ Oidc: [] }], await token('pets:read'))).status).toBe(200)
    expect(hits['/jwks']! - before).toBe(2)
  })
})
