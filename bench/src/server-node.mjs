// One benchmark server (Node): `node server-node.mjs <variant>`. Listens on 127.0.0.1, port 0,
// and prints `PORT <n> <adapter>` once ready. Every protected route answers 200 "ok" with a
// valid credential and 401 without one.
import { Buffer } from 'node:buffer'
import { createSecretKey } from 'node:crypto'
import { createServer } from 'node:http'
import { serve } from '@hono/node-server'
import express from 'express'
import { auth as oauth2Bearer } from 'express-oauth2-jwt-bearer'
import { expressjwt } from 'express-jwt'
import { Hono } from 'hono'
import { bearerAuth } from 'hono/bearer-auth'
import { jwt as honoJwt } from 'hono/jwt'
import passport from 'passport'
import headerApiKey from 'passport-headerapikey'
import { expressFloorHeaders, jwtAuth, simpleAuths, specAuth } from './authspec-auths.mjs'
import { API_KEY_HEADER, AUDIENCE, ISSUER, jwks, loadFixtures } from './fixtures.mjs'

const variant = process.argv[2]
const fixtures = await loadFixtures()

async function optionalImport(name) {
  try {
    return await import(name)
  } catch {
    return undefined
  }
}

/** Serve the public JWKS on its own port (fetched once by the verifiers, then cached). */
async function startJwks() {
  const body = JSON.stringify(jwks(fixtures))
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${server.address().port}/jwks.json`
}

/**
 * authspec on Hono: `@authspec/hono`'s requireAuth when built, else (or with `direct`) the core
 * in a 5-line middleware (no Vary / Cache-Control handling: it isolates the core's cost).
 */
async function honoAuthspec(auth, prepared, direct = false) {
  const adapter = direct ? undefined : await optionalImport('@authspec/hono')
  if (typeof adapter?.requireAuth === 'function') return { middleware: adapter.requireAuth(auth, prepared.requirement), adapter: '@authspec/hono' }
  const middleware = async (c, next) => {
    const result = await auth.authenticate(c.req.raw, prepared)
    if (!result.ok) return result.response
    c.set('auth', result)
    await next()
  }
  return { middleware, adapter: 'inline-core' }
}

/** authspec on Express: `@authspec/express`'s requireAuth when built, else (or with `direct`) the core inline. */
async function expressAuthspec(auth, prepared, direct = false) {
  const adapter = direct ? undefined : await optionalImport('@authspec/express')
  if (typeof adapter?.requireAuth === 'function') return { middleware: adapter.requireAuth(auth, prepared.requirement), adapter: '@authspec/express' }
  const middleware = (req, res, next) => {
    const request = {
      method: req.method,
      url: req.originalUrl,
      headers: {
        get: (name) => {
          const value = req.headers[name.toLowerCase()]
          return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value
        },
      },
    }
    auth.authenticate(request, prepared).then((result) => {
      if (result.ok) {
        req.auth = result
        next()
        return
      }
      res.status(result.status).set(result.headers).send(JSON.stringify(result.problem))
    }, next)
  }
  return { middleware, adapter: 'inline-core' }
}

async function honoApp() {
  const app = new Hono()
  let adapter = 'hono'
  let guard
  switch (variant) {
    case 'hono-none':
      break
    case 'hono-floor':
      guard = async (c, next) => {
        if (c.req.header(API_KEY_HEADER) !== fixtures.apiKey) return c.text('unauthorized', 401)
        await next()
      }
      break
    case 'hono-floor-headers':
      // The floor plus the response headers authspec's adapter adds to protected responses.
      guard = async (c, next) => {
        if (c.req.header(API_KEY_HEADER) !== fixtures.apiKey) return c.text('unauthorized', 401)
        await next()
        c.res.headers.set('vary', API_KEY_HEADER)
        c.res.headers.set('cache-control', 'private')
      }
      break
    case 'hono-authspec-apikey':
    case 'hono-authspec-core': {
      const simple = simpleAuths(fixtures)
      ;({ middleware: guard, adapter } = await honoAuthspec(simple.auth, simple.apiKey, variant === 'hono-authspec-core'))
      break
    }
    case 'hono-authspec-openapi': {
      // One app-level middleware bound to the matched route, instead of a route guard.
      const { enforceOpenAPI } = await import('@authspec/hono')
      app.use('*', enforceOpenAPI(specAuth(fixtures)))
      adapter = '@authspec/hono#enforceOpenAPI'
      break
    }
    case 'hono-bearerauth':
      guard = bearerAuth({ token: fixtures.opaque })
      break
    case 'hono-authspec-jwt': {
      const { auth, prepared } = jwtAuth(fixtures, 'HS256', { cache: true })
      ;({ middleware: guard, adapter } = await honoAuthspec(auth, prepared))
      break
    }
    case 'hono-jwt':
      guard = honoJwt({ secret: fixtures.keys.HS256.secret, alg: 'HS256', verification: { iss: ISSUER, aud: AUDIENCE } })
      break
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  if (guard === undefined) app.get('/pets', (c) => c.text('ok'))
  else app.get('/pets', guard, (c) => c.text('ok'))
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 })
  await new Promise((resolve) => server.once('listening', resolve))
  return { port: server.address().port, adapter }
}

async function expressApp() {
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  let adapter = 'express'
  let guard
  switch (variant) {
    case 'express-floor':
      guard = (req, res, next) => {
        if (req.headers[API_KEY_HEADER] === fixtures.apiKey) next()
        else res.status(401).send('unauthorized')
      }
      break
    case 'express-floor-headers':
      // The floor plus the response headers authspec's adapter sends on a protected 200 (what
      // docs/design.md's Express target compares against).
      guard = expressFloorHeaders(fixtures.apiKey)
      break
    case 'express-floor-async':
      // The floor, deciding after one `await` (as every promise-based middleware does).
      guard = (req, res, next) => {
        Promise.resolve(req.headers[API_KEY_HEADER] === fixtures.apiKey).then((ok) => {
          if (ok) next()
          else res.status(401).send('unauthorized')
        }, next)
      }
      break
    case 'express-authspec-apikey-layer':
      // One more app-level layer that only calls next(), as enforceOpenAPI's place in the stack.
      app.use((_req, _res, next) => next())
    // falls through
    case 'express-authspec-apikey':
    case 'express-authspec-core': {
      const simple = simpleAuths(fixtures)
      ;({ middleware: guard, adapter } = await expressAuthspec(simple.auth, simple.apiKey, variant === 'express-authspec-core'))
      break
    }
    case 'express-authspec-openapi': {
      const { enforceOpenAPI } = await import('@authspec/express')
      app.use(enforceOpenAPI(specAuth(fixtures)))
      guard = (_req, _res, next) => next()
      adapter = '@authspec/express#enforceOpenAPI'
      break
    }
    case 'express-passport':
      passport.use(
        new headerApiKey.HeaderAPIKeyStrategy({ header: API_KEY_HEADER, prefix: '' }, false, (key, done) =>
          done(null, key === fixtures.apiKey ? { id: 'bench' } : false),
        ),
      )
      app.use(passport.initialize())
      guard = passport.authenticate('headerapikey', { session: false })
      break
    case 'express-authspec-jwt': {
      const { auth, prepared } = jwtAuth(fixtures, 'HS256', { cache: true })
      ;({ middleware: guard, adapter } = await expressAuthspec(auth, prepared))
      break
    }
    case 'express-jwt':
      // A KeyObject: with a string secret jsonwebtoken first tries to parse it as a PEM public
      // key on every request (~350 µs), which would not be a fair comparison.
      guard = expressjwt({ secret: createSecretKey(Buffer.from(fixtures.keys.HS256.secret)), algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE })
      break
    case 'express-authspec-jwks': {
      const { auth, prepared } = jwtAuth(fixtures, 'RS256', { cache: true, jwksUri: await startJwks() })
      ;({ middleware: guard, adapter } = await expressAuthspec(auth, prepared))
      break
    }
    case 'express-oauth2-bearer':
      guard = oauth2Bearer({ issuer: ISSUER, audience: AUDIENCE, jwksUri: await startJwks(), tokenSigningAlg: 'RS256' })
      break
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  app.get('/pets', guard, (_req, res) => {
    res.send('ok')
  })
  // Peers signal failures by passing an error to next(): answer their status (401) plainly.
  app.use((error, _req, res, _next) => {
    res.status(error.status ?? error.statusCode ?? 500).send('unauthorized')
  })
  const server = app.listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  return { port: server.address().port, adapter }
}

const { port, adapter } = variant.startsWith('hono-') ? await honoApp() : await expressApp()
process.stdout.write(`PORT ${port} ${adapter}\n`)
// Exit normally on SIGTERM so that `node --cpu-prof` writes its profile.
process.on('SIGTERM', () => process.exit(0))
