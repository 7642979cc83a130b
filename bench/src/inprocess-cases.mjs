// The operations the in-process benchmark times, each `{ run }` doing one request or one
// authentication, built against a given set of authspec modules (`mods`: core, hono, express),
// so that the same cases can run on this checkout and on another build (`--compare`).
// Hono apps are driven through `app.fetch(request)` with one pre-built Request per case;
// Express apps through `app.handle(req, res)` with node:http's IncomingMessage / ServerResponse
// on a socket that discards what is written (no network, no HTTP parser).
import { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Duplex } from 'node:stream'
import { pathToFileURL } from 'node:url'
import express from 'express'
import { createVerifier } from 'fast-jwt'
import { Hono } from 'hono'
import { jwtVerify } from 'jose'
import passport from 'passport'
import * as headerApiKey from 'passport-headerapikey'
import { expressFloorHeaders as floorHeaders, jwtOptions, specAuth } from './authspec-auths.mjs'
import { API_KEY_HEADER, AUDIENCE, ISSUER } from './fixtures.mjs'
import { lightRequest } from './light-request.mjs'

const URL_ = 'http://127.0.0.1/pets'

/** The authspec modules of this checkout. */
export async function currentModules() {
  // API-key management lives at `@authspec/core/api-keys` (older builds exported it from the root).
  const core = { ...(await import('@authspec/core')), ...(await import('@authspec/core/api-keys')) }
  return { core, hono: await import('@authspec/hono'), express: await import('@authspec/express') }
}

/** The authspec modules of another checkout at `dir` (a module missing there is left out). */
export async function modulesAt(dir) {
  const require = createRequire(join(dir, 'package.json'))
  const load = async (name) => {
    try {
      return await import(pathToFileURL(require.resolve(name)).href)
    } catch {
      return undefined
    }
  }
  const root = await load('@authspec/core')
  const core = root === undefined ? undefined : { ...root, ...(await load('@authspec/core/api-keys')) }
  return { core, hono: await load('@authspec/hono'), express: await load('@authspec/express') }
}

/** The static-key auth every apiKey case uses, and its requirement prepared once. */
export function apiKeyAuth(core, fixtures) {
  const auth = core.createAuth({ schemes: { ApiKeyAuth: core.apiKey({ in: 'header', name: API_KEY_HEADER, keys: { bench: fixtures.apiKey } }) } })
  return { auth, prepared: auth.prepare([{ ApiKeyAuth: [] }]) }
}


function expectStatus(name, status, want) {
  if (status !== want) throw new Error(`in-process case ${name}: status ${status}, want ${want}`)
}

// ---- Hono ----

function honoCase(name, build, fixtures) {
  const app = new Hono()
  build(app)
  const withKey = new Request(URL_, { headers: { [API_KEY_HEADER]: fixtures.apiKey } })
  const run = async () => {
    const response = await app.fetch(withKey)
    if (response.status !== 200) throw new Error(`${name}: ${response.status}`)
    return response
  }
  const check = async () => {
    const ok = await app.fetch(new Request(URL_, { headers: { [API_KEY_HEADER]: fixtures.apiKey } }))
    expectStatus(name, ok.status, 200)
    expectStatus(name, (await app.fetch(new Request(URL_))).status, 401)
    return { vary: ok.headers.get('vary'), cacheControl: ok.headers.get('cache-control') }
  }
  return { name, run, isAsync: true, check }
}

/** The `===` floor sending what `@authspec/hono` sends on a protected 200 (the socket variant `hono-floor-headers`). */
export function honoFloorHeaders(fixtures) {
  return honoCase(
    'hono floor + headers',
    (app) =>
      app.get(
        '/pets',
        async (c, next) => {
          if (c.req.header(API_KEY_HEADER) !== fixtures.apiKey) return c.text('unauthorized', 401)
          await next()
          c.res.headers.set('vary', API_KEY_HEADER)
          c.res.headers.set('cache-control', 'private')
        },
        (c) => c.text('ok'),
      ),
    fixtures,
  )
}

/**
 * The `===` floor honouring what authspec promises a handler: `Vary` merged with the handler's own
 * and `Cache-Control: private` only when the handler set none, so it reads both before writing
 * (`hono_apikey_vs_floor_keeping_headers`). No de-duplication of `Vary` names: the cheapest code
 * that keeps the contract, not authspec's. `accepts(c)` decides the request (default: `===`;
 * `target-gaps.mjs` swaps in a constant-time comparison and the core's answer).
 */
export function honoFloorKeepingHeaders(fixtures, { name = 'hono floor keeping headers', accepts = (c) => c.req.header(API_KEY_HEADER) === fixtures.apiKey } = {}) {
  return honoCase(
    name,
    (app) =>
      app.get(
        '/pets',
        async (c, next) => {
          if (!accepts(c)) return c.text('unauthorized', 401)
          await next()
          const headers = c.res.headers
          const vary = headers.get('vary')
          headers.set('vary', vary === null ? API_KEY_HEADER : `${vary}, ${API_KEY_HEADER}`)
          if (headers.get('cache-control') === null) headers.set('cache-control', 'private')
        },
        (c) => c.text('ok'),
      ),
    fixtures,
  )
}

export function honoRequireAuth(mods, fixtures) {
  const { auth, prepared } = apiKeyAuth(mods.core, fixtures)
  return honoCase('hono requireAuth', (app) => app.get('/pets', mods.hono.requireAuth(auth, prepared.requirement), (c) => c.text('ok')), fixtures)
}

export function honoEnforceOpenAPI(mods, fixtures) {
  return honoCase(
    'hono enforceOpenAPI',
    (app) => {
      app.use('*', mods.hono.enforceOpenAPI(specAuth(fixtures, mods.core)))
      app.get('/pets', (c) => c.text('ok'))
    },
    fixtures,
  )
}

// ---- Express ----

/** A socket for one in-process request: writes are accepted and dropped. */
function nullSocket() {
  const socket = new Duplex({
    read() {},
    write(_chunk, _encoding, callback) {
      callback()
    },
  })
  socket.remoteAddress = '127.0.0.1'
  return socket
}

/** One request through `app.handle`: resolves with the finished ServerResponse. */
function expressRequest(app, headers) {
  const socket = nullSocket()
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = '/pets'
  req.httpVersionMajor = 1
  req.httpVersionMinor = 1
  req.httpVersion = '1.1'
  req.headers = headers
  req.complete = true
  req.push(null)
  const res = new ServerResponse(req)
  res.assignSocket(socket)
  return new Promise((resolve, reject) => {
    res.once('finish', () => {
      res.detachSocket(socket)
      resolve(res)
    })
    app.handle(req, res, (error) => reject(error ?? new Error('express: no route answered')))
  })
}

function expressCase(name, build, fixtures) {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  build(app)
  app.use((error, _req, res, _next) => {
    res.status(error.status ?? error.statusCode ?? 500).send('unauthorized')
  })
  const headers = { host: '127.0.0.1', [API_KEY_HEADER]: fixtures.apiKey }
  const run = async () => {
    const res = await expressRequest(app, { ...headers })
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode}`)
    return res
  }
  const check = async () => {
    expectStatus(name, (await expressRequest(app, { host: '127.0.0.1' })).statusCode, 401)
    const ok = await expressRequest(app, { ...headers })
    expectStatus(name, ok.statusCode, 200)
    return { vary: ok.getHeader('vary') ?? null, cacheControl: ok.getHeader('cache-control') ?? null }
  }
  return { name, run, isAsync: true, check }
}

/** The `===` floor sending what `@authspec/express` sends on a protected 200 (`express-floor-headers`). */
export function expressFloorHeaders(fixtures) {
  return expressCase('express floor + headers', (app) => app.get('/pets', floorHeaders(fixtures.apiKey), (_req, res) => res.send('ok')), fixtures)
}

/** With `appLayer`, a no-op `app.use` in front (the one app-level layer `enforceOpenAPI` adds; target-gaps.mjs). */
export function expressRequireAuth(mods, fixtures, { appLayer = false } = {}) {
  const { auth, prepared } = apiKeyAuth(mods.core, fixtures)
  return expressCase(
    appLayer ? 'express no-op app.use + requireAuth' : 'express requireAuth',
    (app) => {
      if (appLayer) app.use((_req, _res, next) => next())
      app.get('/pets', mods.express.requireAuth(auth, prepared.requirement), (_req, res) => res.send('ok'))
    },
    fixtures,
  )
}

export function expressEnforceOpenAPI(mods, fixtures) {
  return expressCase(
    'express enforceOpenAPI',
    (app) => {
      app.use(mods.express.enforceOpenAPI(specAuth(fixtures, mods.core)))
      app.get('/pets', (_req, _res, next) => next(), (_req, res) => res.send('ok'))
    },
    fixtures,
  )
}

export function expressPassport(fixtures) {
  const strategy = new headerApiKey.HeaderAPIKeyStrategy({ header: API_KEY_HEADER, prefix: '' }, false, (key, done) => done(null, key === fixtures.apiKey ? { id: 'bench' } : false))
  const instance = new passport.Passport()
  instance.use(strategy)
  return expressCase(
    'express passport-headerapikey',
    (app) => {
      app.use(instance.initialize())
      app.get('/pets', instance.authenticate('headerapikey', { session: false }), (_req, res) => res.send('ok'))
    },
    fixtures,
  )
}

// ---- Core ----

function coreCase(name, auth, request, prepared, options) {
  const run = async () => {
    const result = await auth.authenticate(request, prepared, options)
    if (!result.ok) throw new Error(`${name}: ${JSON.stringify(result.problem)}`)
    return result
  }
  return { name, run, isAsync: true, check: async () => void (await run()) }
}

/** `auth.authenticate` with a jwtBearer HS256 scheme: cache off (`cold`), on (`warm`), on with a claims callback. */
export function jwtCase(mods, fixtures, mode) {
  const denied = new Set(['revoked-user'])
  const settings = mode === 'cold' ? { cache: false } : mode === 'claims' ? { cache: true, claims: (claims) => !denied.has(claims.sub) } : { cache: true }
  const auth = mods.core.createAuth({ schemes: { Jwt: mods.core.jwtBearer(jwtOptions(fixtures, 'HS256', settings)) } })
  const request = new Request(URL_, { headers: { authorization: `Bearer ${fixtures.tokens.HS256}` } })
  return coreCase(`jwt ${mode}`, auth, request, auth.prepare([{ Jwt: [] }]))
}

export async function joseCase(fixtures) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(fixtures.keys.HS256.secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  const options = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }
  const run = () => jwtVerify(fixtures.tokens.HS256, key, options)
  return { name: 'jose jwtVerify', run, isAsync: true, check: async () => void (await run()) }
}

export function fastJwtCachedCase(fixtures) {
  const verify = createVerifier({ key: fixtures.keys.HS256.secret, algorithms: ['HS256'], allowedIss: ISSUER, allowedAud: AUDIENCE, cache: true })
  const run = () => verify(fixtures.tokens.HS256)
  return { name: 'fast-jwt cached', run, isAsync: false, check: async () => void run() }
}

/**
 * A static key and the same kind of key stored by its hash in `memoryKeyStore` (throttling on,
 * 1,000 other clients' failure counters in the store, a client address), as in api-keys.mjs.
 */
export async function apiKeyStoreCases(mods) {
  const { apiKey, createAuth, generateApiKey, memoryKeyStore } = mods.core
  const { key, hash, id } = generateApiKey({ prefix: 'pets' })
  const store = memoryKeyStore({ maxKeys: 10 })
  store.set(hash, { id, principal: { team: 'ci' } })
  const stored = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', store, prefix: 'pets' }) }, security: [{ Key: [] }] })
  const fixed = createAuth({ schemes: { Key: apiKey({ in: 'header', name: 'X-API-Key', keys: { ci: key } }) }, security: [{ Key: [] }] })
  for (let i = 0; i < 1000; i++) {
    const result = await stored.authenticate(lightRequest(generateApiKey({ prefix: 'pets' }).key), undefined, { client: `198.51.100.${i % 250}:${i}` })
    if (result.ok) throw new Error('a random key authenticated')
  }
  const request = lightRequest(key)
  const options = { client: '192.0.2.1' }
  return { stored: coreCase('apiKey stored', stored, request, undefined, options), static: coreCase('apiKey static', fixed, request, undefined, options) }
}
