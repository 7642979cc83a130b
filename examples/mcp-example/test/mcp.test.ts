import { serve } from '@hono/node-server'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startWorkerd, type RunningWorkerd } from '../../../packages/hono/test/support/workerd.js'
import { createMcpApp } from '../src/app.js'

const HERE = dirname(fileURLToPath(import.meta.url))
let issuerServer: Server
let issuer = ''
let key: CryptoKey
let node: ReturnType<typeof serve>
let nodeOrigin = ''
let workerd: RunningWorkerd | undefined
let workerdOrigin = ''

const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))

const accessToken = (aud: string, scope = 'mcp:tools') =>
  new SignJWT({ scope, client_id: 'mcp-client' }).setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' }).setIssuer(issuer).setSubject('user-42').setAudience(aud).setExpirationTime('5m').sign(key)

/** An SDK auth provider holding `token` (or none): what an MCP host implements. */
function provider(token: string | undefined, redirects: URL[] = []): OAuthClientProvider {
  return {
    redirectUrl: 'http://127.0.0.1/callback',
    clientMetadata: { client_name: 'test', redirect_uris: ['http://127.0.0.1/callback'] },
    clientInformation: () => ({ client_id: 'mcp-client' }),
    tokens: () => (token === undefined ? undefined : { access_token: token, token_type: 'Bearer' }),
    saveTokens: () => undefined,
    redirectToAuthorization: (url) => void redirects.push(url),
    saveCodeVerifier: () => undefined,
    codeVerifier: () => 'verifier',
  }
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true })
  key = pair.privateKey
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
  issuerServer = createServer((req, res) => {
    if (req.url === '/jwks') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }))
    if (req.url === '/.well-known/oauth-authorization-server') {
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'] }),
      )
    }
    res.writeHead(404).end()
  })
  issuer = `http://127.0.0.1:${await listen(issuerServer)}`

  // Node: the resource is the server's own URL, so the app is built once the port is known.
  const holder: { app?: ReturnType<typeof createMcpApp>['app'] } = {}
  node = await new Promise((resolve) => {
    const server = serve({ fetch: (request) => holder.app!.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(server))
  })
  nodeOrigin = `http://127.0.0.1:${(node.address() as AddressInfo).port}`
  holder.app = createMcpApp({ resource: `${nodeOrigin}/mcp`, issuer, jwksUri: `${issuer}/jwks` }).app

  // workerd: the same app, bundled as a Worker.
  const port = await freePort()
  workerdOrigin = `http://127.0.0.1:${port}`
  workerd = await startWorkerd({
    entry: join(HERE, '..', 'src', 'worker.ts'),
    entrypoint: 'worker',
    port,
    bindings: { RESOURCE: `${workerdOrigin}/mcp`, ISSUER: issuer, JWKS_URL: `${issuer}/jwks` },
    compatibilityFlags: ['nodejs_compat'],
    external: ['node:*'],
  })
}, 60_000)

afterAll(async () => {
  await workerd?.close()
  await new Promise<void>((resolve) => (node ? node.close(() => resolve()) : resolve()))
  await new Promise<void>((resolve) => (issuerServer ? issuerServer.close(() => resolve()) : resolve()))
})

describe.each([
  ['Node', () => nodeOrigin],
  ['workerd', () => workerdOrigin],
])('the MCP example on %s, with the real MCP SDK client', (_runtime, origin) => {
  it('without a token: 401 whose challenge names the metadata; the SDK reads the challenge and the metadata', async () => {
    const response = await fetch(`${origin()}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{}' })
    expect(response.status).toBe(401)
    const params = extractWWWAuthenticateParams(response)
    expect(params.resourceMetadataUrl?.href).toBe(`${origin()}/.well-known/oauth-protected-resource/mcp`)
    expect(params.scope).toBe('mcp:tools')
    const metadata = await discoverOAuthProtectedResourceMetadata(`${origin()}/mcp`, { resourceMetadataUrl: params.resourceMetadataUrl })
    expect(metadata).toMatchObject({ resource: `${origin()}/mcp`, authorization_servers: [issuer], scopes_supported: ['mcp:tools'], bearer_methods_supported: ['header'] })
  })

  it('an SDK client with a token for this resource lists and calls the tools', async () => {
    const client = new Client({ name: 'test-client', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(`${origin()}/mcp`), { authProvider: provider(await accessToken(`${origin()}/mcp`)) }))
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(['time', 'whoami'])
    const result = (await client.callTool({ name: 'whoami' })) as { content: { text: string }[] }
    expect(JSON.parse(result.content[0]!.text)).toEqual({ sub: 'user-42', scopes: ['mcp:tools'] })
    await client.close()
  })

  it('an SDK client without a token runs its discovery from authspec\'s 401 to the authorization request, with resource and scope', async () => {
    const redirects: URL[] = []
    const client = new Client({ name: 'test-client', version: '1.0.0' })
    await expect(client.connect(new StreamableHTTPClientTransport(new URL(`${origin()}/mcp`), { authProvider: provider(undefined, redirects) }))).rejects.toBeInstanceOf(UnauthorizedError)
    expect(redirects).toHaveLength(1)
    const authorization = redirects[0]!
    expect(authorization.origin + authorization.pathname).toBe(`${issuer}/authorize`)
    expect(authorization.searchParams.get('resource')).toBe(`${origin()}/mcp`)
    expect(authorization.searchParams.get('scope')).toBe('mcp:tools')
  })

  it('a token for another resource, or without the scope, is refused (401 invalid_token / 403 insufficient_scope)', async () => {
    for (const [token, status, error] of [
      [await accessToken('https://other.example.com/mcp'), 401, 'invalid_token'],
      [await accessToken(`${origin()}/mcp`, 'other'), 403, 'insufficient_scope'],
    ] as const) {
      const response = await fetch(`${origin()}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })
      expect(response.status).toBe(status)
      expect(response.headers.get('www-authenticate')).toBe(`Bearer realm="api", error="${error}", scope="mcp:tools", resource_metadata="${origin()}/.well-known/oauth-protected-resource/mcp"`)
    }
  })
})
