import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { base64url, calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import Provider from 'oidc-provider'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuth, type Auth } from '../../src/create-auth.js'
import { oauth2 } from '../../src/schemes/oauth2.js'
import { createTestKey } from '../../src/testing/index.js'
import type { SchemeMap } from '../../src/types.js'

// A real authorization server (oidc-provider) with resource indicators (RFC 8707), JWT and
// opaque access tokens, introspection (RFC 7662) and DPoP (RFC 9449), and a resource server
// protected by authspec, both over HTTP on 127.0.0.1.
const CLIENT = { client_id: 'mcp-client', client_secret: 'a-client-secret-long-enough-for-the-test-0123456789' }
const RS_CLIENT = { client_id: 'mcp-resource-server', client_secret: 'another-secret-long-enough-for-the-test-9876543210' }
const OTHER = 'https://other.api.test/'
let as: Server
let rs: Server
let issuer = ''
let rsOrigin = ''
let jwtResource = ''
let opaqueResource = ''
let introspections = 0
let client: { privateKey: CryptoKey; jwk: JWK }
let rsKey: Awaited<ReturnType<typeof createTestKey>>
const RS_PK_CLIENT = 'mcp-resource-server-pk'

const listen = (server: Server) => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))

async function proof(htm: string, htu: string, extra: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ htm, htu, iat: Math.floor(Date.now() / 1000), jti: crypto.randomUUID(), ...extra })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: client.jwk })
    .sign(client.privateKey)
}
const ath = async (token: string) => base64url.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))))

/** A client-credentials token for `resource`, DPoP-bound when `dpop`. */
async function token(resource: string, dpop = false): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' }
  if (dpop) headers.dpop = await proof('POST', `${issuer}/token`)
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'mcp:tools', resource, ...CLIENT }),
  })
  const body = (await response.json()) as { access_token?: string; token_type?: string; error?: string; error_description?: string }
  if (body.access_token === undefined) throw new Error(`token endpoint: ${response.status} ${body.error}: ${body.error_description}`)
  expect(body.token_type).toBe(dpop ? 'DPoP' : 'Bearer')
  return body.access_token
}

function toRequestLike(req: IncomingMessage) {
  return { method: req.method ?? 'GET', url: `${rsOrigin}${req.url ?? '/'}`, headers: { get: (name: string) => (req.headers[name.toLowerCase()] as string | undefined) ?? null } }
}

let jwtAuth: Auth<SchemeMap>
let opaqueAuth: Auth<SchemeMap>

beforeAll(async () => {
  rs = createServer((req, res) => {
    const auth = req.url?.startsWith('/opaque') ? opaqueAuth : jwtAuth
    void auth.authenticate(toRequestLike(req), [{ [Object.keys(auth.schemes)[0]!]: ['mcp:tools'] }]).then(
      async (result) => {
        const response = result.ok ? Response.json({ principal: Object.values(result.principals)[0] }) : result.response
        res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text())
      },
      () => res.writeHead(500).end(),
    )
  })
  rsOrigin = await listen(rs)
  jwtResource = `${rsOrigin}/mcp`
  opaqueResource = `${rsOrigin}/opaque`

  let provider: (req: IncomingMessage, res: ServerResponse) => void = () => undefined
  as = createServer((req, res) => {
    if (req.url?.startsWith('/token/introspection')) introspections++
    provider(req, res)
  })
  issuer = await listen(as)
  const key = await createTestKey('RS256')
  rsKey = await createTestKey('ES256', { kid: 'rs-1' })
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  client = { privateKey, jwk: await exportJWK(publicKey) }
  provider = new Provider(issuer, {
    clients: [
      { ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'mcp:tools', token_endpoint_auth_method: 'client_secret_post' },
      { ...RS_CLIENT, grant_types: [], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'client_secret_basic' },
      {
        client_id: RS_PK_CLIENT,
        grant_types: [],
        redirect_uris: [],
        response_types: [],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [rsKey.publicJwk] },
      },
    ],
    jwks: { keys: [key.privateJwk as never] },
    scopes: ['mcp:tools'],
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      introspection: { enabled: true, allowedPolicy: (_ctx: unknown, caller: { clientId: string }) => caller.clientId === RS_CLIENT.client_id || caller.clientId === RS_PK_CLIENT },
      resourceIndicators: {
        enabled: true,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => ({
          scope: 'mcp:tools',
          audience: indicator,
          ...(indicator === opaqueResource ? { accessTokenFormat: 'opaque' } : { accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
        }),
      },
    },
  }).callback()

  const flows = { clientCredentials: { tokenUrl: `${issuer}/token`, scopes: { 'mcp:tools': 'Use the tools' } } }
  jwtAuth = createAuth({
    resource: jwtResource,
    schemes: { Jwt: oauth2({ flows, token: { algorithms: ['RS256'], jwksUri: `${issuer}/jwks`, issuer, typ: 'at+jwt' }, dpop: 'allowed' }) },
  }) as unknown as Auth<SchemeMap>
  opaqueAuth = createAuth({
    resource: opaqueResource,
    schemes: {
      Opaque: oauth2({
        flows,
        introspection: { endpoint: `${issuer}/token/introspection`, issuer, client: { clientId: RS_CLIENT.client_id, clientSecret: RS_CLIENT.client_secret } },
        dpop: 'allowed',
      }),
    },
  }) as unknown as Auth<SchemeMap>
})

afterAll(async () => {
  for (const server of [as, rs]) {
    server?.closeAllConnections()
    await new Promise((resolve) => server?.close(resolve))
  }
})

const call = (path: string, headers: Record<string, string> = {}) => fetch(rsOrigin + path, { method: 'POST', headers })

describe('end to end against oidc-provider: resource indicators, introspection and DPoP', () => {
  it('a JWT access token whose aud is the resource → 200; its aud is the resource', async () => {
    const access = await token(jwtResource)
    const response = await call('/mcp', { authorization: `Bearer ${access}` })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { principal: { claims: { aud: unknown } } }).principal.claims.aud).toBe(jwtResource)
  })

  it('a token for another resource → 401 invalid_token with resource_metadata', async () => {
    const response = await call('/mcp', { authorization: `Bearer ${await token(OTHER)}` })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toContain(`error="invalid_token", scope="mcp:tools", resource_metadata="${rsOrigin}/.well-known/oauth-protected-resource/mcp"`)
  })

  it('a DPoP-bound JWT with a proof → 200; the same proof again, a wrong htu, a wrong ath → 401 invalid_dpop_proof; the token as Bearer → 401', async () => {
    const access = await token(jwtResource, true)
    const good = await proof('POST', jwtResource, { ath: await ath(access) })
    expect((await call('/mcp', { authorization: `DPoP ${access}`, dpop: good })).status).toBe(200)
    const replay = await call('/mcp', { authorization: `DPoP ${access}`, dpop: good })
    expect([replay.status, replay.headers.get('www-authenticate')]).toEqual([401, expect.stringContaining('DPoP realm="api", error="invalid_dpop_proof"')])
    const wrongHtu = await call('/mcp', { authorization: `DPoP ${access}`, dpop: await proof('POST', `${rsOrigin}/other`, { ath: await ath(access) }) })
    expect([wrongHtu.status, await wrongHtu.json()]).toEqual([401, expect.objectContaining({ detail: expect.stringContaining('htu mismatch') })])
    const wrongAth = await call('/mcp', { authorization: `DPoP ${access}`, dpop: await proof('POST', jwtResource, { ath: await ath(`${access}x`) }) })
    expect([wrongAth.status, await wrongAth.json()]).toEqual([401, expect.objectContaining({ detail: expect.stringContaining('ath mismatch') })])
    const asBearer = await call('/mcp', { authorization: `Bearer ${access}` })
    expect([asBearer.status, await asBearer.json()]).toEqual([401, expect.objectContaining({ detail: expect.stringContaining('DPoP-bound') })])
  })

  it('an opaque token is introspected (client_secret_basic) → 200, and the answer is cached', async () => {
    const access = await token(opaqueResource)
    expect(access.split('.')).toHaveLength(1)
    const before = introspections
    const response = await call('/opaque', { authorization: `Bearer ${access}` })
    expect(response.status).toBe(200)
    expect(((await response.json()) as { principal: { claims: Record<string, unknown> } }).principal.claims).toMatchObject({ active: true, iss: issuer, aud: opaqueResource, client_id: CLIENT.client_id })
    expect((await call('/opaque', { authorization: `Bearer ${access}` })).status).toBe(200)
    expect(introspections - before).toBe(1)
    // An unknown token: inactive → 401.
    expect((await call('/opaque', { authorization: 'Bearer not-a-token-the-server-issued' })).status).toBe(401)
  })

  it('a DPoP-bound opaque token: introspected cnf.jkt matches the proof key → 200; as Bearer → 401; a token for the JWT resource → 401', async () => {
    const access = await token(opaqueResource, true)
    const ok = await call('/opaque', { authorization: `DPoP ${access}`, dpop: await proof('POST', opaqueResource, { ath: await ath(access) }) })
    expect(ok.status).toBe(200)
    expect(((await ok.json()) as { principal: { claims: { cnf: { jkt: string } } } }).principal.claims.cnf.jkt).toBe(await calculateJwkThumbprint(client.jwk))
    expect((await call('/opaque', { authorization: `Bearer ${access}` })).status).toBe(401)
    // oidc-provider refuses to introspect JWTs (400 unsupported_token_type): a rejection of the token, not an outage.
    expect((await call('/opaque', { authorization: `Bearer ${await token(jwtResource)}` })).status).toBe(401)
  })

  it('introspection with private_key_jwt client authentication → 200 (oidc-provider verifies the assertion)', async () => {
    const auth = createAuth({
      resource: opaqueResource,
      schemes: {
        Opaque: oauth2({
          flows: { clientCredentials: { tokenUrl: `${issuer}/token`, scopes: { 'mcp:tools': 'Use the tools' } } },
          introspection: { endpoint: `${issuer}/token/introspection`, issuer, client: { method: 'private_key_jwt', clientId: RS_PK_CLIENT, privateKey: rsKey.privateJwk, algorithm: 'ES256', keyId: 'rs-1' } },
        }),
      },
    })
    const access = await token(opaqueResource)
    const request = { method: 'POST', url: opaqueResource, headers: { get: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${access}` : null) } }
    const result = await auth.authenticate(request, [{ Opaque: ['mcp:tools'] }])
    expect(result.ok || result.problem).toBe(true)
  })
})
