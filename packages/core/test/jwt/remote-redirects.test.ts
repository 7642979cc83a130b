import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { jwtBearer } from '../../src/schemes/jwt-bearer.js'
import { openIdConnect } from '../../src/schemes/open-id-connect.js'
import { createTestKey, signTestToken, type TestKey } from '../../src/testing/index.js'
import { authenticator, failed } from './helpers.js'

/** One route's answer: a JSON body, or a redirect to a URL (absolute or relative). */
type Route = { json: unknown } | { redirect: string }

interface Site {
  readonly origin: string
  readonly hits: Record<string, number>
  routes: Record<string, Route>
}

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})

/** A small JSON/redirect server on 127.0.0.1, on a free port (another port is another origin). */
async function site(routes: Record<string, Route> = {}): Promise<Site> {
  const hits: Record<string, number> = {}
  const state = { routes }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    hits[path] = (hits[path] ?? 0) + 1
    const route = state.routes[path]
    if (route === undefined) res.writeHead(404).end()
    else if ('redirect' in route) res.writeHead(302, { location: route.redirect }).end()
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route.json))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    hits,
    get routes() {
      return state.routes
    },
    set routes(next) {
      state.routes = next
    },
  }
}

const jwks = (...keys: TestKey[]) => ({ json: { keys: keys.map((key) => key.publicJwk) } })

describe('remote documents never follow a redirect to another origin', () => {
  it('a JWKS that 302s to another origin (an attacker JWKS) → 503, and the attacker-signed token is never accepted', async () => {
    const attackerKey = await createTestKey('RS256')
    const attacker = await site({ '/jwks.json': jwks(attackerKey) })
    const victim = await site({ '/jwks.json': { redirect: `${attacker.origin}/jwks.json` } })
    const check = authenticator(jwtBearer({ algorithms: ['RS256'], jwksUri: `${victim.origin}/jwks.json`, issuer: 'i', audience: 'api', remoteKeys: { failureTtl: 0 } }))
    const forged = await signTestToken(attackerKey, { iss: 'i', aud: 'api', sub: 'attacker' })
    const failure = failed(await check(forged))
    expect(failure.status).toBe(503)
    expect(failure.problem.detail).toMatch(/redirect to another origin/)
    expect(attacker.hits['/jwks.json'] ?? 0).toBe(0)
  })

  it('a same-origin redirect is followed once', async () => {
    const key = await createTestKey('RS256')
    const idp = await site({ '/jwks.json': { redirect: '/keys/current.json' }, '/keys/current.json': jwks(key) })
    const check = authenticator(jwtBearer({ algorithms: ['RS256'], jwksUri: `${idp.origin}/jwks.json`, issuer: 'i', audience: 'api' }))
    expect((await check(await signTestToken(key, { iss: 'i', aud: 'api' }))).ok).toBe(true)
    expect(idp.hits['/keys/current.json']).toBe(1)
  })

  it('a second same-origin redirect is not followed → 503', async () => {
    const key = await createTestKey('RS256')
    const idp = await site({ '/jwks.json': { redirect: '/a' }, '/a': { redirect: '/b' }, '/b': jwks(key) })
    const check = authenticator(jwtBearer({ algorithms: ['RS256'], jwksUri: `${idp.origin}/jwks.json`, issuer: 'i', audience: 'api' }))
    const failure = failed(await check(await signTestToken(key, { iss: 'i', aud: 'api' })))
    expect(failure.status).toBe(503)
    expect(idp.hits['/b'] ?? 0).toBe(0)
  })

  it('a discovery document that 302s to another origin → 503 (the other origin is never asked)', async () => {
    const key = await createTestKey('RS256')
    const attacker = await site()
    attacker.routes = { '/.well-known/openid-configuration': { json: { issuer: attacker.origin, jwks_uri: `${attacker.origin}/jwks.json` } }, '/jwks.json': jwks(key) }
    const idp = await site({ '/.well-known/openid-configuration': { redirect: `${attacker.origin}/.well-known/openid-configuration` } })
    const check = authenticator(
      openIdConnect({ openIdConnectUrl: `${idp.origin}/.well-known/openid-configuration`, issuer: attacker.origin, algorithms: ['RS256'], audience: 'api' }),
    )
    const failure = failed(await check(await signTestToken(key, { iss: attacker.origin, aud: 'api' })))
    expect(failure.status).toBe(503)
    expect(failure.problem.detail).toMatch(/redirect to another origin/)
    expect(Object.keys(attacker.hits)).toEqual([])
  })
})

describe('an https discovery document may not point jwks_uri at http', () => {
  /** A discovery document served for an https URL through the `remoteKeys.fetch` option (a service binding, say). */
  const serving = (doc: object) => async (url: string) =>
    url.endsWith('/.well-known/openid-configuration') ? Response.json(doc) : new Response('not found', { status: 404 })

  it('https discovery with an http jwks_uri → 503, with the reason in the detail', async () => {
    const check = authenticator(
      openIdConnect({
        openIdConnectUrl: 'https://op.example/.well-known/openid-configuration',
        algorithms: ['RS256'],
        audience: 'api',
        remoteKeys: { fetch: serving({ issuer: 'https://op.example', jwks_uri: 'http://op.example/jwks.json' }) },
      }),
    )
    const key = await createTestKey('RS256')
    const failure = failed(await check(await signTestToken(key, { iss: 'https://op.example', aud: 'api' })))
    expect(failure.status).toBe(503)
    expect(failure.headers['Retry-After']).toBeDefined()
    expect(failure.problem.detail).toMatch(/jwks_uri is http/)
  })

  it('an http discovery URL that is not on a loopback host may not name an http jwks_uri either', async () => {
    const check = authenticator(
      openIdConnect({
        openIdConnectUrl: 'http://idp.internal/.well-known/openid-configuration',
        algorithms: ['RS256'],
        audience: 'api',
        remoteKeys: { fetch: serving({ issuer: 'http://idp.internal', jwks_uri: 'http://idp.internal/jwks.json' }) },
      }),
    )
    const key = await createTestKey('RS256')
    expect(failed(await check(await signTestToken(key, { iss: 'http://idp.internal', aud: 'api' }))).status).toBe(503)
  })

  it('an http discovery URL on a loopback host may name an http jwks_uri (development)', async () => {
    const key = await createTestKey('RS256')
    const idp = await site()
    idp.routes = { '/.well-known/openid-configuration': { json: { issuer: idp.origin, jwks_uri: `${idp.origin}/jwks.json` } }, '/jwks.json': jwks(key) }
    const check = authenticator(openIdConnect({ openIdConnectUrl: `${idp.origin}/.well-known/openid-configuration`, algorithms: ['RS256'], audience: 'api' }))
    expect((await check(await signTestToken(key, { iss: idp.origin, aud: 'api' }))).ok).toBe(true)
  })
})
