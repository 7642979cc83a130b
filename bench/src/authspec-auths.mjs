// The authspec auths every benchmark uses, built from the shared fixtures.
import * as core from '@authspec/core'
import { API_KEY_HEADER, AUDIENCE, ISSUER } from './fixtures.mjs'

const { createAuth, apiKey, httpBasic, httpBearer } = core

/** Whether this build of the core has `jwtBearer`. */
export const hasJwt = typeof core.jwtBearer === 'function'

/** The `===` floor on Express, sending the response headers `@authspec/express` sends on a protected 200. */
export function expressFloorHeaders(apiKey) {
  return (req, res, next) => {
    if (req.headers[API_KEY_HEADER] !== apiKey) {
      res.status(401).send('unauthorized')
      return
    }
    res.setHeader('Vary', API_KEY_HEADER)
    res.setHeader('Cache-Control', 'private')
    next()
  }
}

/** apiKey (static keys, constant-time), Basic (static users) and opaque Bearer (Map lookup). */
export function simpleAuths(fixtures) {
  const principals = new Map([[fixtures.opaque, { id: 'user-42', scopes: ['pets:read'] }]])
  const auth = createAuth({
    schemes: {
      ApiKeyAuth: apiKey({ in: 'header', name: API_KEY_HEADER, keys: { bench: fixtures.apiKey } }),
      BasicAuth: httpBasic({ users: { [fixtures.basic.username]: fixtures.basic.password } }),
      Opaque: httpBearer({ verify: (token) => principals.get(token) }),
    },
  })
  return {
    auth,
    apiKey: auth.prepare([{ ApiKeyAuth: [] }]),
    basic: auth.prepare([{ BasicAuth: [] }]),
    opaque: auth.prepare([{ Opaque: [] }]),
  }
}

/**
 * The same apiKey requirement as `simpleAuths().apiKey`, from an OpenAPI document (for
 * `enforceOpenAPI`); `lib`: the core build to use (`--compare` builds it on two).
 */
export function specAuth(fixtures, lib = core) {
  return lib.fromOpenAPI(
    {
      openapi: '3.1.0',
      info: { title: 'bench', version: '1' },
      paths: { '/pets': { get: { security: [{ ApiKeyAuth: [] }], responses: { 200: { description: 'ok' } } } } },
      components: { securitySchemes: { ApiKeyAuth: { type: 'apiKey', in: 'header', name: API_KEY_HEADER } } },
    },
    { verifiers: { ApiKeyAuth: { keys: { bench: fixtures.apiKey } } } },
  )
}

/**
 * jwtBearer options for one algorithm: a shared secret, a PEM public key, or (with `jwksUri`)
 * a JWKS URL. `cache: false` turns the verified-token cache off; `claims` is the claims callback.
 */
export function jwtOptions(fixtures, alg, { cache = true, jwksUri, claims } = {}) {
  const options = { algorithms: [alg], issuer: ISSUER, audience: AUDIENCE }
  if (claims !== undefined) options.claims = claims
  if (alg === 'HS256') options.secret = fixtures.keys.HS256.secret
  else if (jwksUri !== undefined) options.jwksUri = jwksUri
  else options.publicKey = fixtures.keys[alg].publicPem
  if (!cache) options.cache = false
  return options
}

/** One auth with a jwtBearer scheme `Jwt`, and its prepared requirement. */
export function jwtAuth(fixtures, alg, settings = {}) {
  if (!hasJwt) throw new Error('this build of @authspec/core has no jwtBearer')
  const auth = createAuth({ schemes: { Jwt: core.jwtBearer(jwtOptions(fixtures, alg, settings)) } })
  return { auth, prepared: auth.prepare([{ Jwt: [] }]) }
}
