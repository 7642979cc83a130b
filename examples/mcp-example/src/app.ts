import { createAuth, oauth2 } from '@authspec/core'
import { type JwtAlgorithm } from '@authspec/core/schemes'
import { protectedResource, requireAuth } from '@authspec/hono'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { Hono } from 'hono'

/** Options of {@link createMcpApp}. */
export interface McpAppOptions {
  /** The MCP server's URL, its OAuth resource identifier (RFC 8707/9728), e.g. `https://mcp.example.com/mcp`. */
  resource: string
  /** The authorization server's issuer identifier. */
  issuer: string
  /** Its JWKS. */
  jwksUri: string
  /** @default ["RS256"] */
  algorithms?: readonly JwtAlgorithm[]
}

/** The MCP server: two tools that read the caller's token. */
function mcpServer(): McpServer {
  const server = new McpServer({ name: 'authspec-mcp-example', version: '1.0.0' })
  server.registerTool('whoami', { description: 'The subject and scopes of the access token' }, (extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ sub: extra.authInfo?.extra?.sub, scopes: extra.authInfo?.scopes }) }],
  }))
  server.registerTool('time', { description: 'The server time' }, () => ({ content: [{ type: 'text', text: new Date().toISOString() }] }))
  return server
}

/**
 * An MCP server (streamable HTTP, stateless) on Hono, protected by authspec as an OAuth 2.1
 * resource server, as the MCP authorization specification asks: RFC 9728 metadata at
 * `/.well-known/oauth-protected-resource/mcp`, 401 challenges naming it in `resource_metadata`
 * with the `scope` needed, 403 `insufficient_scope`, and JWT access tokens accepted only when
 * their `aud` is this resource (RFC 8707). Web APIs only: it runs on Node and in workerd.
 */
export function createMcpApp(options: McpAppOptions) {
  const { resource, issuer, jwksUri } = options
  const auth = createAuth({
    resource,
    protectedResource: { resourceName: 'authspec MCP example' },
    schemes: {
      OAuth2: oauth2({
        flows: {
          authorizationCode: {
            authorizationUrl: `${issuer}/authorize`,
            tokenUrl: `${issuer}/token`,
            scopes: { 'mcp:tools': 'Call the tools' },
          },
        },
        // No audience: it defaults to `resource`, compared in canonical form.
        token: { algorithms: options.algorithms ?? ['RS256'], jwksUri, issuer },
      }),
    },
  })
  const app = new Hono()
  app.use(protectedResource(auth))
  app.all('/mcp', requireAuth(auth, [{ OAuth2: ['mcp:tools'] }]), async (c) => {
    const { principals, scopes } = c.var.auth
    const { token, claims } = principals.OAuth2
    // Stateless streamable HTTP: one server and transport per request.
    const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    const server = mcpServer()
    await server.connect(transport)
    const authInfo = { token, clientId: String(claims.client_id ?? claims.azp ?? ''), scopes: [...scopes], extra: { sub: claims.sub } }
    const response = await transport.handleRequest(c.req.raw, { authInfo })
    void server.close()
    return response
  })
  return { app, auth }
}
