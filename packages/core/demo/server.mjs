// The core with no framework: a plain node:http server using the built @authspec/core directly.
// Run with `npm run build && node packages/core/demo/server.mjs` (`npm start` runs the Hono demo).
import { Buffer } from 'node:buffer'
import { createServer } from 'node:http'
import { apiKey, createAuth, httpBasic, httpBearer } from '../dist/index.js'

const DEMO = {
  apiKey: 'demo-key-123',
  basicUser: 'demo',
  basicPassword: 'demo-password',
  readToken: 'demo-read-token',
  writeToken: 'demo-write-token',
}

// Opaque tokens, as a session store would hold them.
const sessions = new Map([
  [DEMO.readToken, { sub: 'reader', scopes: ['pets:read'] }],
  [DEMO.writeToken, { sub: 'writer', scopes: ['pets:read', 'pets:write'] }],
])

const auth = createAuth({
  realm: 'demo',
  schemes: {
    ApiKeyAuth: apiKey({ in: 'header', name: 'X-API-Key', keys: { demo: DEMO.apiKey } }),
    BasicAuth: httpBasic({ users: { [DEMO.basicUser]: DEMO.basicPassword } }),
    Opaque: httpBearer({ verify: (token) => sessions.get(token) ?? null, scopes: (session) => session.scopes }),
  },
})

// Requirements are checked once, at start-up.
const routes = new Map(
  Object.entries({
    '/public': [],
    '/api-key': [{ ApiKeyAuth: [] }],
    '/basic': [{ BasicAuth: [] }],
    '/bearer': [{ Opaque: ['pets:read'] }],
    '/bearer/write': [{ Opaque: ['pets:write'] }],
    '/either': [{ ApiKeyAuth: [] }, { Opaque: ['pets:read'] }],
    '/both': [{ ApiKeyAuth: [], BasicAuth: [] }],
  }).map(([path, requirement]) => [path, auth.prepare(requirement)]),
)

/** node's IncomingMessage → the light request shape the core reads (no body). */
function toRequestLike(req) {
  const distinct = req.headersDistinct
  return {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: {
      get(name) {
        const key = name.toLowerCase()
        const values = distinct[key]
        if (values === undefined) return null
        // Keep repeated fields visible (node would drop a second Authorization).
        return values.join(key === 'cookie' ? '; ' : ', ')
      },
    },
  }
}

function send(res, status, headers, body) {
  res.writeHead(status, headers)
  res.end(body)
}

const server = createServer(async (req, res) => {
  const path = (req.url ?? '/').split('?')[0]
  if (path === '/') {
    send(res, 200, { 'Content-Type': 'application/json' }, JSON.stringify({ routes: [...routes.keys()] }, null, 2))
    return
  }
  const prepared = routes.get(path)
  if (prepared === undefined) {
    send(res, 404, { 'Content-Type': 'application/problem+json' }, JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }))
    return
  }
  try {
    const result = await auth.authenticate(toRequestLike(req), prepared)
    if (!result.ok) {
      send(res, result.status, result.headers, JSON.stringify(result.problem))
      return
    }
    const headers = { 'Content-Type': 'application/json' }
    if (!prepared.isPublic) {
      headers['Cache-Control'] = 'private'
      if (prepared.vary.length > 0) headers.Vary = prepared.vary.join(', ')
    }
    send(res, 200, headers, JSON.stringify({ route: path, alternative: result.alternative, principals: result.principals, scopes: result.scopes }))
  } catch (error) {
    // Config or verify bugs (AuthspecError): log the cause, answer a terse 500.
    console.error(error)
    send(res, 500, { 'Content-Type': 'application/problem+json' }, JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500 }))
  }
})

const port = Number(process.env.PORT ?? 3000)
server.listen(port, '127.0.0.1', () => {
  const address = server.address()
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : port}`
  const basic = Buffer.from(`${DEMO.basicUser}:${DEMO.basicPassword}`).toString('base64')
  console.log(`authspec core demo listening on ${url}`)
  console.log(`
Routes: ${[...routes.keys()].join(', ')}
Demo credentials:
  API key       X-API-Key: ${DEMO.apiKey}
  Basic         ${DEMO.basicUser} / ${DEMO.basicPassword}   (Authorization: Basic ${basic})
  Bearer        ${DEMO.readToken} (pets:read), ${DEMO.writeToken} (pets:read pets:write)
Try:
  curl -i ${url}/api-key
  curl -i -H 'X-API-Key: ${DEMO.apiKey}' ${url}/api-key
  curl -i -u ${DEMO.basicUser}:${DEMO.basicPassword} ${url}/basic
  curl -i -H 'Authorization: Bearer ${DEMO.readToken}' ${url}/bearer/write    # 403
  curl -i -H 'X-API-Key: ${DEMO.apiKey}' -u ${DEMO.basicUser}:${DEMO.basicPassword} ${url}/both`)
})

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)))
