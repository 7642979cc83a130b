import type { AuthSuccess, PreparedRequirement, Requirement } from '@authspec/core'
import { createPetsAuth, demoCredentials, type DemoCredentials, type PetsAuth } from './auth.js'
import { docsPage } from './docs.js'

type Handler = (request: Request, auth: AuthSuccess, params: Record<string, string>) => Response | Promise<Response>

interface Route {
  method: string
  /** OpenAPI path template, e.g. `/pets/{id}`. */
  path: string
  summary: string
  requirement: Requirement
  handler: Handler
}

interface CompiledRoute extends Route {
  pattern: RegExp
  prepared: PreparedRequirement
}

const pets = [
  { id: 1, name: 'Rex', tag: 'dog' },
  { id: 2, name: 'Tom', tag: 'cat' },
]

const json = (body: unknown, init?: ResponseInit): Response => Response.json(body, init)

/** The Hono demo's routes: a public route, one per scheme, an OR route, an AND route and a scoped route. */
const ROUTES: Route[] = [
  { method: 'GET', path: '/health', summary: 'Public health check', requirement: [], handler: () => json({ ok: true }) },
  {
    method: 'GET',
    path: '/pets',
    summary: 'List pets (OR: API key, Basic, opaque token with pets:read or a JWT)',
    requirement: [{ ApiKeyAuth: [] }, { BasicAuth: [] }, { OpaqueToken: ['pets:read'] }, { JwtBearer: [] }],
    handler: (_req, auth) => json({ pets, via: auth.alternative }),
  },
  {
    method: 'GET',
    path: '/pets/{id}',
    summary: 'One pet (API key)',
    requirement: [{ ApiKeyAuth: [] }],
    handler: (_req, auth, params) => {
      const pet = pets.find((p) => String(p.id) === params.id)
      return pet === undefined ? json({ error: 'not found' }, { status: 404 }) : json({ ...pet, keyId: (auth.principals.ApiKeyAuth as { id: string }).id })
    },
  },
  {
    method: 'POST',
    path: '/pets',
    summary: 'Add a pet (scoped: pets:write from an opaque token or a JWT)',
    requirement: [{ OpaqueToken: ['pets:write'] }, { JwtBearer: ['pets:write'] }],
    handler: async (request) => {
      const body = (await request.json().catch(() => ({}))) as { name?: unknown }
      if (typeof body.name !== 'string' || body.name.length === 0) return json({ error: 'name required' }, { status: 400 })
      return json({ id: pets.length + 1, name: body.name }, { status: 201 })
    },
  },
  {
    method: 'DELETE',
    path: '/pets/{id}',
    summary: 'Remove a pet (AND: API key and Basic)',
    requirement: [{ ApiKeyAuth: [], BasicAuth: [] }],
    handler: (_req, _auth, params) => json({ deleted: params.id }),
  },
  { method: 'GET', path: '/me', summary: 'Basic user', requirement: [{ BasicAuth: [] }], handler: (_req, auth) => json(auth.principals.BasicAuth) },
  {
    method: 'GET',
    path: '/session',
    summary: 'Opaque token session',
    requirement: [{ OpaqueToken: [] }],
    handler: (_req, auth) => json({ ...auth.principals.OpaqueToken, scopes: auth.scopes }),
  },
  {
    method: 'GET',
    path: '/token',
    summary: 'JWT claims',
    requirement: [{ JwtBearer: [] }],
    handler: (_req, auth) => json({ claims: (auth.principals.JwtBearer as { claims: unknown }).claims, scopes: auth.scopes }),
  },
]

function compile(path: string): RegExp {
  const source = path.replace(/[.*+?^$()[\]\\|]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')
  return new RegExp(`^${source}$`)
}

/** Add `Vary` and `Cache-Control: private` to a protected response unless the handler set them. */
function protect(response: Response, vary: readonly string[]): Response {
  const headers = response.headers
  for (const name of vary) {
    const current = headers.get('vary')
    if (current === null) headers.set('vary', name)
    else if (!current.toLowerCase().split(/\s*,\s*/).includes(name.toLowerCase()) && current !== '*') headers.set('vary', `${current}, ${name}`)
  }
  if (!headers.has('cache-control')) headers.set('cache-control', 'private')
  return response
}

/** The pets API as a fetch handler: `Bun.serve({ fetch: app.fetch })`. */
export function createApp(credentials: DemoCredentials = demoCredentials()) {
  const auth: PetsAuth = createPetsAuth(credentials)
  // Every requirement is checked here, at start-up: a typo in a scheme name throws now.
  const routes: CompiledRoute[] = ROUTES.map((route) => ({ ...route, pattern: compile(route.path), prepared: auth.prepare(route.requirement as never) }))

  const document = {
    openapi: '3.1.0',
    info: { title: 'Pets API (Bun)', version: '1.0.0' },
    paths: {} as Record<string, Record<string, unknown>>,
    components: auth.openapi({ version: '3.1' }).components,
  }
  for (const route of routes) {
    const { security, responses } = auth.operation(route.requirement as never)
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }))
    ;(document.paths[route.path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary,
      ...(params.length > 0 ? { parameters: params } : {}),
      security,
      responses: { '200': { description: 'Successful response' }, ...responses },
    }
  }
  const documentJson = JSON.stringify(document)

  /** `server`: what Bun.serve passes; its `requestIP` gives failed-auth throttling the client's address. */
  async function fetch(request: Request, server?: { requestIP(request: Request): { address: string } | null }): Promise<Response> {
    const { pathname } = new URL(request.url)
    if (request.method === 'GET' && pathname === '/openapi.json') {
      return new Response(documentJson, { headers: { 'content-type': 'application/json' } })
    }
    if (request.method === 'GET' && (pathname === '/docs' || pathname.startsWith('/docs/'))) return docsPage(pathname)
    let pathMatched = false
    for (const route of routes) {
      const match = route.pattern.exec(pathname)
      if (match === null) continue
      pathMatched = true
      if (route.method !== request.method) continue
      const answer = auth.authenticateNow(request, route.prepared, { client: () => server?.requestIP(request)?.address })
      const result = answer instanceof Promise ? await answer : answer
      if (!result.ok) return result.response
      const response = await route.handler(request, result as AuthSuccess, { ...match.groups })
      return route.prepared.isPublic ? response : protect(response, route.prepared.vary)
    }
    return json({ error: pathMatched ? 'method not allowed' : 'not found' }, { status: pathMatched ? 405 : 404 })
  }

  return { fetch, auth, document, credentials }
}
