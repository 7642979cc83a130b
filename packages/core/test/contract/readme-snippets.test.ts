/**
 * Every ```ts block of the README, checked as a new user would paste it: each one typechecks
 * (strict, against the built packages, `npm run build` first) with the fewest stubs for the names
 * it leaves to the reader (`db`, `lookup`, an `auth`…), and the blocks no other test runs
 * (Quick start, custom error responses, Hono, Express, their spec-first sections, Bun) also run and
 * behave as the README says.
 * The JWT and OpenAPI sections' blocks run in `jwt/package.test.ts` and `readme-openapi.test.ts`.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moduleOf, removeScratch, scratchDir, tsBlocks, typecheck, writeModule, type BlockHarness } from './guides/harness.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
let dir: string

/** How each block becomes a module, by heading; `wrap` makes `export async function __snippet(request: Request)`. */
const HARNESS: Record<string, BlockHarness> = {
  'Quick start': {
    prelude: `const db = { apiKeys: new Map([['key-1', { app: 'ci' }]]) }
const sessions = new Map([['tok-read', { user: 'ann', scopes: ['pets:read'] }], ['tok-none', { user: 'bob', scopes: [] as string[] }]])
process.env.ADMIN_PASSWORD ??= 'admin-password-0123'`,
    wrap: 'return { auth, result }',
  },
  'Custom error responses': {
    prelude: `import { apiKey as __apiKey } from '@authspec/core'
const schemes = { ApiKeyAuth: __apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' } }) }`,
    epilogue: 'export { auth }',
  },
  'JWT, OAuth 2.0 and OpenID Connect': {},
  'Remote keys': { tolerate: [7006] },
  'Testing your API: `@authspec/core/testing` (Node)': {},
  'Code-first: `auth.openapi()`, `auth.operation()`, `auth.mergeInto()`': {},
  'Spec-first: `fromOpenAPI(document, { verifiers })`': {},
  'API keys, stores and limits': {
    prelude: `const checkPassword = ({ password }: { username: string; password: string }) => (password === 'pw-0123' ? { ok: true } : null)
const rows: object[] = []
const db = { insert: async (row: object) => void rows.push(row) }`,
    epilogue: 'export { auth, key, next, generated, rows }',
  },
  Hono: {
    prelude: `const lookup = (key: string, env: unknown) => (key === 'key-1' ? { app: 'ci', env } : null)`,
    epilogue: 'export { app }',
  },
  'Custom errors on Hono': { epilogue: 'export { app }' },
  'Custom errors on Express': { epilogue: 'export { app }' },
  Express: {
    prelude: `import { apiKey as __apiKey, createAuth as __createAuth, httpBasic as __httpBasic, httpBearer as __httpBearer } from '@authspec/core'
const auth = __createAuth({
  schemes: {
    Opaque: __httpBearer({ verify: (t: string) => (t === 'tok-read' ? { user: 'ann', scopes: ['pets:read'] } : null), scopes: (p) => p.scopes }),
    ApiKeyAuth: __apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' } }),
    BasicAuth: __httpBasic({ users: { admin: 'admin-password-0123' } }),
  },
})`,
    epilogue: 'export { app }',
  },
  'Spec-first on Hono: `enforceOpenAPI(auth)`': {
    prelude: `const lookupKey = (key: string) => (key === 'key-0123456789' ? { app: 'ci' } : null)
const lookupToken = (token: string) => (token === 'writer-token' ? { sub: 'w', scopes: ['books:write'] } : token === 'reader-token' ? { sub: 'r', scopes: ['books:read'] } : null)
process.env.ADMIN_PASSWORD ??= 'admin-password-0123'`,
    epilogue: 'export { app }',
  },
  'Spec-first on Express: `enforceOpenAPI(auth)`': {
    prelude: `const lookupKey = (key: string) => (key === 'key-0123456789' ? { app: 'ci' } : null)
const lookupToken = (token: string) => (token === 'writer-token' ? { sub: 'w', scopes: ['books:write'] } : token === 'reader-token' ? { sub: 'r', scopes: ['books:read'] } : null)
process.env.ADMIN_PASSWORD ??= 'admin-password-0123'`,
    epilogue: 'export { app }',
  },
  Bun: {
    prelude: `import { apiKey as __apiKey, createAuth as __createAuth, httpBearer as __httpBearer } from '@authspec/core'
const auth = __createAuth({
  schemes: {
    OpaqueToken: __httpBearer({ verify: (t: string) => (t === 'tok-read' ? { scopes: ['pets:read'] } : null), scopes: (p) => p.scopes }),
    ApiKeyAuth: __apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: 'key-0123456789' } }),
  },
})
let served: { fetch(request: Request): Promise<Response> } | undefined
const Bun = { serve: (options: { fetch(request: Request): Promise<Response> }) => { served = options } }`,
    epilogue: 'export const fetchHandler = () => served!.fetch',
  },
  'OAuth 2.1 resource server and MCP': { epilogue: 'export { app, auth }' },
}

// One block per heading (the harness test checks it), so a block's key is its heading.
const all = tsBlocks(readme).map(({ key, code }) => ({ heading: key, code }))
const files = new Map<string, string>()
let server: Server | undefined

beforeAll(() => {
  dir = scratchDir('readme')
  all.forEach((block, i) => {
    const harness = HARNESS[block.heading]
    if (harness === undefined) return
    files.set(block.heading, writeModule(dir, `snippet-${i + 1}.ts`, moduleOf(block.code, harness, 'request: Request')))
  })
})
afterAll(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())))
  removeScratch(dir)
})

const load = async <T>(heading: string): Promise<T> => (await import(pathToFileURL(files.get(heading)!).href)) as T

describe('README ts blocks', () => {
  it('every ts block has a harness here (a new block must be checked too)', () => {
    expect(all.map((block) => block.heading).filter((heading) => HARNESS[heading] === undefined)).toEqual([])
    expect(all.length).toBe(Object.keys(HARNESS).length)
  })

  it('every ts block typechecks (strict) against the built packages, with only the documented stubs', () => {
    const problems = typecheck(files, (heading) => HARNESS[heading]!.tolerate ?? [])
    expect(problems).toEqual([])
  }, 120_000)
})

describe('README snippets behave as described', () => {
  it('API keys: the issued key was rotated (the old one still works during its grace) and the new one revoked', async () => {
    type Snippet = { auth: { authenticate(r: Request, q: unknown): Promise<{ ok: boolean; status?: number }> }; key: string; next: { key: string }; generated: { key: string; hash: string }; rows: object[] }
    const { auth, key, next, generated, rows } = await load<Snippet>('API keys, stores and limits')
    const send = (k: string) => auth.authenticate(new Request('http://localhost/pets', { headers: { 'x-api-key': k } }), [{ ApiKeyAuth: [] }])
    expect((await send(key)).ok).toBe(true)
    expect(await send(next.key)).toMatchObject({ ok: false, status: 401 })
    expect(rows).toEqual([{ hash: generated.hash, id: expect.stringMatching(/^pets_/), principal: { team: 'ops' } }])
  })

  type QuickStart = { __snippet(request: Request): Promise<Response | { result: { ok: boolean; principals: Record<string, unknown>; alternative: number } }> }

  it('Quick start: a bearer token with the scope passes alternative 0, typed principal from verify', async () => {
    const { __snippet } = await load<QuickStart>('Quick start')
    const out = await __snippet(new Request('http://localhost/pets', { headers: { authorization: 'Bearer tok-read' } }))
    expect(out).not.toBeInstanceOf(Response)
    const { result } = out as Exclude<typeof out, Response>
    expect(result).toMatchObject({ ok: true, alternative: 0, principals: { Opaque: { user: 'ann' } } })
  })

  it('Quick start: API key AND Basic pass alternative 1; the key alone is 401 with a challenge per scheme', async () => {
    const { __snippet } = await load<QuickStart>('Quick start')
    const both = await __snippet(
      new Request('http://localhost/pets', { headers: { 'x-api-key': 'key-1', authorization: `Basic ${btoa('admin:admin-password-0123')}` } }),
    )
    expect(both).toMatchObject({ result: { ok: true, alternative: 1, principals: { ApiKeyAuth: { app: 'ci' }, BasicAuth: { username: 'admin' } } } })
    const keyOnly = await __snippet(new Request('http://localhost/pets', { headers: { 'x-api-key': 'key-1' } }))
    expect(keyOnly).toBeInstanceOf(Response)
    const response = keyOnly as Response
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", APIKey realm="api", in="header", name="X-API-Key", Basic realm="pets", charset="UTF-8"')
  })

  it('Quick start: a token without the scope → 403 insufficient_scope', async () => {
    const { __snippet } = await load<QuickStart>('Quick start')
    const out = (await __snippet(new Request('http://localhost/pets', { headers: { authorization: 'Bearer tok-none' } }))) as Response
    expect(out.status).toBe(403)
    expect(out.headers.get('www-authenticate')).toContain('Bearer realm="api", error="insufficient_scope", scope="pets:read"')
  })

  it('Custom error responses: renderError shapes the body and keeps WWW-Authenticate and Vary', async () => {
    const { auth } = await load<{ auth: { authenticate(r: Request, q: unknown): Promise<{ ok: boolean; response: Response }> } }>('Custom error responses')
    const result = await auth.authenticate(new Request('http://localhost/'), [{ ApiKeyAuth: [] }])
    expect(result.ok).toBe(false)
    expect(result.response.status).toBe(401)
    expect(await result.response.json()).toEqual({ error: 'credentials_missing', message: 'Authentication required: send credentials for ApiKeyAuth.' })
    expect(result.response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
    expect(result.response.headers.get('vary')).toBe('X-API-Key')
    // A plain JSON body is labelled as such, not as problem+json.
    expect(result.response.headers.get('content-type')).toBe('application/json')
  })

  it('Hono: the key route answers the typed principal, 401 without it, and /openapi.json documents both routes', async () => {
    const { app } = await load<{ app: { request(path: string, init?: RequestInit): Promise<Response> } }>('Hono')
    const ok = await app.request('/pets', { headers: { 'x-api-key': 'key-1' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ app: 'ci' })
    expect(ok.headers.get('vary')).toBe('X-API-Key')
    expect(ok.headers.get('cache-control')).toBe('private')
    const missing = await app.request('/pets')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
    const post = await app.request('/pets', { method: 'POST' })
    expect(post.status).toBe(401)
    expect(post.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, { security?: unknown }>> }
    expect(doc.paths['/pets']?.get?.security).toEqual([{ ApiKeyAuth: [] }])
    expect(doc.paths['/pets']?.post?.security).toEqual([{ Jwt: ['pets:write'] }])
  })

  it('Express: the OR guard, the /admin guard and openapiDocument work as written', async () => {
    const { app } = await load<{ app: { listen(port: number, host: string, cb: () => void): Server } }>('Express')
    const url = await new Promise<string>((resolve) => {
      server = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`))
    })
    const ok = await fetch(`${url}/pets/1`, { headers: { authorization: 'Bearer tok-read' } })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ Opaque: { user: 'ann', scopes: ['pets:read'] } })
    expect(ok.headers.get('cache-control')).toBe('private')
    const missing = await fetch(`${url}/pets/1`)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect((await fetch(`${url}/admin/anything`)).status).toBe(401)
    const doc = (await (await fetch(`${url}/openapi.json`)).json()) as { paths: Record<string, Record<string, { security?: unknown }>> }
    expect(doc.paths['/pets/{id}']?.get?.security).toEqual([{ Opaque: ['pets:read'] }, { ApiKeyAuth: [] }])
  })

  it('Custom errors on Hono: the JSON body is labelled application/json and keeps the challenge', async () => {
    const { app } = await load<{ app: { request(path: string, init?: RequestInit): Promise<Response> } }>('Custom errors on Hono')
    const response = await app.request('/pets')
    expect(response.status).toBe(401)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
    expect(response.headers.get('vary')).toBe('X-API-Key')
    expect(await response.json()).toEqual({ error: 'credentials_missing', message: 'Authentication required: send credentials for ApiKeyAuth.' })
    expect((await app.request('/pets', { headers: { 'x-api-key': 'ci-key-0123456789' } })).status).toBe(200)
  })

  it('Custom errors on Express: renderError is sent as it is, labelled application/json', async () => {
    const { app } = await load<{ app: { listen(port: number, host: string, cb: () => void): Server } }>('Custom errors on Express')
    let own: Server | undefined
    const url = await new Promise<string>((resolve) => {
      own = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(own!.address() as AddressInfo).port}`))
    })
    try {
      const response = await fetch(`${url}/pets`)
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(response.headers.get('www-authenticate')).toBe('APIKey realm="api", in="header", name="X-API-Key"')
      expect(await response.json()).toEqual({ error: 'credentials_missing', message: 'Authentication required: send credentials for ApiKeyAuth.' })
    } finally {
      own!.closeAllConnections()
      await new Promise<void>((resolve) => own!.close(() => resolve()))
    }
  })

  /** The bookstore of docs/guides/bookstore.yaml through a `fetch`-like function: every case of the document. */
  async function bookstoreCases(send: (path: string, init?: RequestInit) => Promise<Response>): Promise<void> {
    const key = { 'x-api-key': 'key-0123456789' }
    const admin = { authorization: `Basic ${btoa('admin:admin-password-0123')}` }
    expect((await send('/health')).status).toBe(200)
    expect((await send('/books')).status).toBe(401)
    expect(await (await send('/books', { headers: key })).json()).toEqual({ by: ['ApiKeyAuth'] })
    expect((await send('/books', { method: 'POST', headers: key })).status).toBe(401)
    expect((await send('/books', { method: 'POST', headers: { authorization: 'Bearer reader-token' } })).status).toBe(403)
    expect((await send('/books', { method: 'POST', headers: { authorization: 'Bearer writer-token' } })).status).toBe(201)
    expect((await send('/books/7', { headers: admin })).status).toBe(200)
    expect((await send('/books/7', { method: 'DELETE', headers: key })).status).toBe(401)
    expect((await send('/books/7', { method: 'DELETE', headers: { ...key, ...admin } })).status).toBe(204)
  }

  it('Spec-first on Hono: the YAML document is enforced route by route (public, default, override, scopes, OR, AND)', async () => {
    const { app } = await load<{ app: { request(path: string, init?: RequestInit): Promise<Response> } }>('Spec-first on Hono: `enforceOpenAPI(auth)`')
    await bookstoreCases((path, init) => app.request(path, init))
  })

  it('Spec-first on Express: the YAML document is enforced through a mounted router, on a real socket', async () => {
    const { app } = await load<{ app: { listen(port: number, host: string, cb: () => void): Server } }>('Spec-first on Express: `enforceOpenAPI(auth)`')
    let listening: Server | undefined
    const url = await new Promise<string>((resolve) => {
      listening = app.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(listening!.address() as AddressInfo).port}`))
    })
    try {
      await bookstoreCases((path, init) => fetch(`${url}${path}`, init))
      expect((await fetch(`${url}/BOOKS/7`)).status).toBe(401) // Express routes case-insensitively: the route's requirement
    } finally {
      listening!.closeAllConnections()
      await new Promise<void>((resolve) => listening!.close(() => resolve()))
    }
  })

  it('Bun: the fetch handler answers 200 with the passing alternative, 401 problem+json otherwise', async () => {
    const { fetchHandler } = await load<{ fetchHandler(): (request: Request) => Promise<Response> }>('Bun')
    const handle = fetchHandler()
    const byKey = await handle(new Request('http://localhost/', { headers: { 'x-api-key': 'key-0123456789' } }))
    expect(await byKey.json()).toEqual({ via: 1 })
    const none = await handle(new Request('http://localhost/'))
    expect(none.status).toBe(401)
    expect(none.headers.get('content-type')).toBe('application/problem+json')
  })

  it('OAuth 2.1 resource server and MCP: the metadata is served and the 401 challenge names it with the scope', async () => {
    const { app } = await load<{ app: { request(path: string, init?: RequestInit): Promise<Response> } }>('OAuth 2.1 resource server and MCP')
    const metadata = await app.request('/.well-known/oauth-protected-resource/mcp')
    expect(metadata.status).toBe(200)
    expect(await metadata.json()).toMatchObject({ resource: 'https://mcp.example.com/mcp', authorization_servers: ['https://as.example.com'], scopes_supported: ['mcp:tools'] })
    const missing = await app.request('/mcp', { method: 'POST' })
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="api", scope="mcp:tools", resource_metadata="https:\/\/mcp\.example\.com\/\.well-known\/oauth-protected-resource\/mcp", DPoP realm="api", scope="mcp:tools", resource_metadata="[^"]+", algs="[^"]+", Bearer realm="api", resource_metadata="[^"]+"$/,
    )
  })
})
