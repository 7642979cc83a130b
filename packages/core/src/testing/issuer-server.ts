import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
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

/** What the server answers with, changed by the issuer's methods. */
interface IssuerState {
  keys: TestKey[]
  override: { json: unknown } | undefined
  failure: TestIssuerFailure
  delay: number
  readonly requests: Record<string, number>
  base: string
}

/** The JSON body of `path`, or `undefined` for a path the issuer does not serve. */
function bodyOf(state: IssuerState, path: string): { json: unknown } | undefined {
  const { keys, base } = state
  if (path === '/.well-known/jwks.json') return state.override ?? { json: { keys: keys.map((key) => key.publicJwk) } }
  if (path !== '/.well-known/openid-configuration') return undefined
  return { json: { issuer: base, jwks_uri: `${base}/.well-known/jwks.json`, id_token_signing_alg_values_supported: [...new Set(keys.map((k) => k.alg))] } }
}

function respond(state: IssuerState, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?', 1)[0]!
  state.requests[path] = (state.requests[path] ?? 0) + 1
  const { failure } = state
  if (failure === 'hang') return
  if (failure === 'reset') {
    req.socket.destroy()
    return
  }
  if (failure === 'status') {
    res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable')
    return
  }
  const body = bodyOf(state, path)
  if (body === undefined) {
    res.writeHead(404).end()
    return
  }
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(failure === 'garbage' ? '<html>not json' : JSON.stringify(body.json))
}

/** Listen on 127.0.0.1 (`port` 0: any free port). */
async function listen(state: IssuerState, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (state.delay > 0) setTimeout(() => respond(state, req, res), state.delay)
    else respond(state, req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return server
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
  const keys = options.keys ?? [await createTestKey(options.alg ?? 'RS256')]
  const state: IssuerState = { keys, override: undefined, failure: 'none', delay: 0, requests: {}, base: '' }
  const server = await listen(state, options.port ?? 0)
  const { base } = state
  return {
    issuer: base,
    jwksUri: `${base}/.well-known/jwks.json`,
    openIdConnectUrl: `${base}/.well-known/openid-configuration`,
    get keys() {
      return state.keys
    },
    set keys(value: TestKey[]) {
      state.keys = value
    },
    requests: state.requests,
    sign: (claims = {}, signOptions = {}) => {
      const { key = state.keys[0]!, ...rest } = signOptions
      return signTestToken(key, { iss: base, ...claims }, rest)
    },
    rotate: async ({ keepOld = false } = {}) => {
      const key = await createTestKey(state.keys[0]?.alg ?? options.alg ?? 'RS256')
      state.keys = keepOld ? [key, ...state.keys] : [key]
      return key
    },
    setJwks: (json) => {
      state.override = json === undefined ? undefined : { json }
    },
    setFailure: (mode) => {
      state.failure = mode
    },
    setDelay: (ms) => {
      state.delay = ms
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
