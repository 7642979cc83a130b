import { serve } from '@hono/node-server'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { discoverOAuthProtectedResourceMetadata, extractWWWAuthenticateParams, UnauthorizedError, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMcpApp } from '../src/app.js'

const HERE = dirname(fileURLToPath(import.meta.url))
const WORKERD = (createRequire(import.meta.url)('workerd') as { default: string }).default
let issuerServer: Server
let issuer = ''
let key: CryptoKey
let node: ReturnType<typeof serve>
let nodeOrigin = ''
let workerd: ChildProcess | undefined
let workerdLog = ''
let workerdOrigin = ''
let dir = ''

const listen = (server: Server, port = 0) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)))
async function freePort(): Promise<number> {
  const probe = createServer()
  const port = await listen(probe)
  await new Promise((resolve) => probe.close(resolve))
  return port
}

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

function workerdConfig(port: number, bindings: Record<string, string>): string {
  const lines = Object.entries(bindings).map(([name, value]) => `    (name = ${JSON.stringify(name)}, text = ${JSON.stringify(value)}),`)
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "mcp", worker = .mcp),
    (name = "internet", network = (allow = ["local", "private"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = (name = "mcp", entrypoint = "worker"))],
);
const mcp :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = ["nodejs_compat"],
  bindings = [
${lines.join('\n')}
  ],
  globalOutbound = "internet",
);
`
}

function startWorkerd(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    workerd = spawn(WORKERD, ['serve', 'config.capnp', '--control-fd=3'], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
    const timer = setTimeout(() => reject(new Error(`workerd did not start:\n${workerdLog}`)), 30_000)
    workerd.stdout!.on('data', (chunk: Buffer) => (workerdLog += chunk.toString()))
    workerd.stderr!.on('data', (chunk: Buffer) => (workerdLog += chunk.toString()))
    workerd.once('exit', (code) => reject(new Error(`workerd exited (${code}):\n${workerdLog}`)))
    ;(workerd.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('"listen"')) {
        clearTimeout(timer)
        resolve()
      }
    })
  })
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
  dir = await mkdtemp(join(tmpdir(), 'authspec-mcp-'))
  await build({
    entryPoints: [join(HERE, '..', 'src', 'worker.ts')],
    outfile: join(dir, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['workerd', 'worker', 'browser'],
    target: 'es2022',
    external: ['node:*'],
    logLevel: 'warning',
  })
  const port = await freePort()
  workerdOrigin = `http://127.0.0.1:${port}`
  await writeFile(join(dir, 'config.capnp'), workerdConfig(port, { RESOURCE: `${workerdOrigin}/mcp`, ISSUER: issuer, JWKS_URL: `${issuer}/jwks` }))
  await startWorkerd(dir)
}, 60_000)

afterAll(async () => {
  workerd?.kill('SIGTERM')
  await new Promise<void>((resolve) => (node ? node.close(() => resolve()) : resolve()))
  await new Promise<void>((resolve) => (issuerServer ? issuerServer.close(() => resolve()) : resolve()))
  if (dir !== '') await rm(dir, { recursive: true, force: true })
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
