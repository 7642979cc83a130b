import { serve } from '@hono/node-server'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { AddressInfo } from 'node:net'
import { createDemoApp } from './app.js'
import { DEMO_AUDIENCE, DEMO_CREDENTIALS, DEMO_ISSUER, demoBindings } from './credentials.js'
import { swaggerDocs } from './docs-page.js'
import { demoDescription } from './docs-text.js'

/** Options of {@link startDemo}. */
export interface StartDemoOptions {
  /** @default 3000 (0 picks a free port) */
  port?: number
  /** @default "127.0.0.1" */
  hostname?: string
  /** HS256 secret of dev tokens. @default 32 random bytes per start */
  jwtSecret?: string
}

/** A running demo server. */
export interface RunningDemo {
  url: string
  credentials: typeof DEMO_CREDENTIALS
  close(): Promise<void>
}

function swaggerAssets() {
  const dir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  return { css: readFileSync(join(dir, 'swagger-ui.css'), 'utf8'), bundle: readFileSync(join(dir, 'swagger-ui-bundle.js'), 'utf8') }
}

/** Serve the demo pets API with Swagger UI on Node (@hono/node-server). */
export async function startDemo(options: StartDemoOptions = {}): Promise<RunningDemo> {
  const devClient = { clientId: DEMO_CREDENTIALS.clientId, clientSecret: DEMO_CREDENTIALS.clientSecret }
  // The app is built once the port is known: its resource (RFC 9728) is the server's own URL.
  const built: { app?: ReturnType<typeof createDemoApp>['app'] } = {}
  const build = (resource: string) => createDemoApp({
    resource,
    jwt: { algorithms: ['HS256'], secret: options.jwtSecret ?? randomBytes(32).toString('base64url') },
    issuer: DEMO_ISSUER,
    audience: DEMO_AUDIENCE,
    devTokens: devClient,
    devApiKeys: true,
    description: demoDescription({
      'API key (X-API-Key)': DEMO_CREDENTIALS.apiKey,
      'Basic user': DEMO_CREDENTIALS.basicUser,
      'Basic password': DEMO_CREDENTIALS.basicPassword,
      'Opaque bearer token': DEMO_CREDENTIALS.opaqueToken,
      'OAuth2 client id': DEMO_CREDENTIALS.clientId,
      'OAuth2 client secret': DEMO_CREDENTIALS.clientSecret,
      'JWT for JwtBearer': 'POST /dev/token (client credentials above) and paste access_token',
      'Issued key (X-Pets-Key)': 'POST /dev/api-key and paste key (5 requests per minute, then 429)',
    }),
    docs: swaggerDocs(swaggerAssets(), devClient),
  }).app
  const bindings = demoBindings()
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const created = serve(
      // Node has no Workers bindings: the secrets ride along in c.env, next to node-server's own.
      { fetch: (request, nodeEnv) => built.app!.fetch(request, { ...(nodeEnv as object), ...bindings }), port: options.port ?? 3000, hostname: options.hostname ?? '127.0.0.1' },
      () => resolve(created),
    )
    created.once('error', reject)
  })
  const { address, port } = server.address() as AddressInfo
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`
  built.app = build(url)
  return {
    url,
    credentials: DEMO_CREDENTIALS,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  }
}
