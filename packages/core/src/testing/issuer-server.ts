import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { JWTPayload } from 'jose'
import { createTestKey, signTestToken, type SignTestTokenOptions, type TestAlgorithm, type TestKey } from './keys.js'

/** How the test issuer misbehaves, to test resilience. */
export type TestIssuerFailure = 'none' | 'status' | 'hang' | 'reset' | 'garbage'

/** A local issuer serving a JWKS and an OpenID discovery document on 127.0.0.1. */
export interface TestIssuer {
  /** `http://127.0.0.1:PORT` (the discovery document's `issuer`, and `iss` of signed tokens). */
  readonly issuer: string
  /** `…/.well-known/jwks.json` */
  readonly jwksUri: string
  /** `…/.well-known/openid-configuration` */
  readonly openIdConnectUrl: string
  /** The keys published in the JWKS; the first one signs. */
  keys: TestKey[]
  /** Requests served so far, per path (e.g. `/.well-known/jwks.json`). */
  readonly requests: Record<string, number>
  /** Sign a token with the first key (or `key`), with `iss` set to the issuer unless given. */
  sign(claims?: JWTPayload, options?: SignTestTokenOptions & { key?: TestKey }): Promise<string>
  /** Replace the signing key by a new one (published alone, or next to the old one with `keepOld`). */
  rotate(options?: { keepOld?: boolean }): Promise<TestKey>
  /** Serve this JSON instead of the JWKS built from `keys` (`undefined` to go back). */
  setJwks(json: unknown): void
  /** Make every response fail: HTTP 503, never answer, reset the connection, or send non-JSON. */
  setFailure(mode: TestIssuerFailure): void
  /** Delay every response by this many milliseconds. */
  setDelay(ms: number): void
  /** Stop the server (open connections are closed). */
  close(): Promise<void>
}

/** Options of {@link startTestIssuer}. */
export interface TestIssuerOptions {
  /** Algorithm of the generated key. @default "RS256" */
  alg?: TestAlgorithm
  /** Use these keys instead of generating one. */
  keys?: TestKey[]
  /** Port to listen on. @default 0 (any free port) */
  port?: number
}

/**
 * Start a JWKS + discovery server on 127.0.0.1 for tests of APIs protected by `jwtBearer`
 * (`jwksUri`) or `openIdConnect` (`openIdConnectUrl`). Close it when done.
 *
 * @example
 * const issuer = await startTestIssuer()
 * const token = await issuer.sign({ aud: 'api', scope: 'pets:read' })
 */
export async function startTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  let keys = options.keys ?? [await createTestKey(options.alg ?? 'RS256')]
  let override: { json: unknown } | undefined
  let failure: TestIssuerFailure = 'none'
  let delay = 0
  const requests: Record<string, number> = {}
  let base = ''

  const respond = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?', 1)[0]!
    requests[path] = (requests[path] ?? 0) + 1
    if (failure === 'hang') return
    if (failure === 'reset') {
      req.socket.destroy()
      return
    }
    if (failure === 'status') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable')
      return
    }
    let body: unknown
    if (path === '/.well-known/jwks.json') body = override === undefined ? { keys: keys.map((key) => key.publicJwk) } : override.json
    else if (path === '/.well-known/openid-configuration') {
      body = { issuer: base, jwks_uri: `${base}/.well-known/jwks.json`, id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg))] }
    } else {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(failure === 'garbage' ? '<html>not json' : JSON.stringify(body))
  }

  const server = createServer((req, res) => {
    if (delay > 0) setTimeout(() => respond(req, res), delay)
    else respond(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  const issuer: TestIssuer = {
    issuer: base,
    jwksUri: `${base}/.well-known/jwks.json`,
    openIdConnectUrl: `${base}/.well-known/openid-configuration`,
    get keys() {
      return keys
    },
    set keys(value: TestKey[]) {
      keys = value
    },
    requests,
    sign: (claims = {}, signOptions = {}) => {
      const { key = keys[0]!, ...rest } = signOptions
      return signTestToken(key, { iss: base, ...claims }, rest)
    },
    rotate: async ({ keepOld = false } = {}) => {
      const key = await createTestKey(keys[0]?.alg ?? options.alg ?? 'RS256')
      keys = keepOld ? [key, ...keys] : [key]
      return key
    },
    setJwks: (json) => {
      override = json === undefined ? undefined : { json }
    },
    setFailure: (mode) => {
      failure = mode
    },
    setDelay: (ms) => {
      delay = ms
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return issuer
}
