// The HTTP benchmark's servers: which runtime runs them, which credential the load generator
// sends, and how they are grouped for interleaved runs and ratios.
import { API_KEY_HEADER } from './fixtures.mjs'

/** name → { runtime, group, label, credential } */
export const VARIANTS = {
  'hono-none': { runtime: 'node', group: 'hono', label: 'Hono: no auth', credential: 'none' },
  'hono-floor': { runtime: 'node', group: 'hono', label: 'Hono: hand-written === API key (floor)', credential: 'apiKey' },
  'hono-floor-headers': { runtime: 'node', group: 'hono', label: 'Hono: floor + Vary / Cache-Control: private (the headers the adapter adds)', credential: 'apiKey' },
  'hono-authspec-apikey': { runtime: 'node', group: 'hono', label: 'Hono: authspec apiKey', credential: 'apiKey' },
  'hono-authspec-core': { runtime: 'node', group: 'hono', label: 'Hono: authspec apiKey, core in a 5-line middleware (no adapter)', credential: 'apiKey' },
  'hono-authspec-openapi': { runtime: 'node', group: 'hono', label: 'Hono: authspec enforceOpenAPI (same apiKey requirement, from a document)', credential: 'apiKey' },
  'hono-bearerauth': { runtime: 'node', group: 'hono', label: "Hono: hono's bearerAuth", credential: 'opaque' },
  'hono-authspec-jwt': { runtime: 'node', group: 'hono', label: 'Hono: authspec JWT HS256 (warm, cache on)', credential: 'jwtHS256' },
  'hono-jwt': { runtime: 'node', group: 'hono', label: "Hono: hono's jwt HS256", credential: 'jwtHS256' },
  'express-floor': { runtime: 'node', group: 'express', label: 'Express: hand-written === API key (floor)', credential: 'apiKey' },
  'express-floor-headers': { runtime: 'node', group: 'express', label: 'Express: floor + Vary / Cache-Control: private (the headers the adapter adds)', credential: 'apiKey' },
  'express-floor-async': { runtime: 'node', group: 'express', label: 'Express: floor deciding after one await (async middleware)', credential: 'apiKey' },
  'express-authspec-apikey': { runtime: 'node', group: 'express', label: 'Express: authspec apiKey', credential: 'apiKey' },
  'express-authspec-core': { runtime: 'node', group: 'express', label: 'Express: authspec apiKey, core in a small middleware (no adapter)', credential: 'apiKey' },
  'express-authspec-apikey-layer': { runtime: 'node', group: 'express', label: 'Express: authspec apiKey behind one more no-op app.use layer (what an app-level middleware costs by itself)', credential: 'apiKey' },
  'express-authspec-openapi': { runtime: 'node', group: 'express', label: 'Express: authspec enforceOpenAPI (same apiKey requirement, from a document)', credential: 'apiKey' },
  'express-passport': { runtime: 'node', group: 'express', label: 'Express: passport-headerapikey', credential: 'apiKey' },
  'express-authspec-jwt': { runtime: 'node', group: 'express', label: 'Express: authspec JWT HS256 (warm, cache on)', credential: 'jwtHS256' },
  'express-jwt': { runtime: 'node', group: 'express', label: 'Express: express-jwt HS256', credential: 'jwtHS256' },
  'express-authspec-jwks': { runtime: 'node', group: 'express', label: 'Express: authspec JWT RS256, local JWKS (warm, cache on)', credential: 'jwtRS256' },
  'express-oauth2-bearer': { runtime: 'node', group: 'express', label: 'Express: express-oauth2-jwt-bearer RS256, local JWKS', credential: 'jwtRS256' },
  'bun-floor': { runtime: 'bun', group: 'bun', label: 'Bun.serve: hand-written === API key (floor)', credential: 'apiKey' },
  'bun-authspec-apikey': { runtime: 'bun', group: 'bun', label: 'Bun.serve: authspec apiKey', credential: 'apiKey' },
}

/** Variants that need `jwtBearer` in the core. */
export const NEEDS_JWT = new Set(['hono-authspec-jwt', 'express-authspec-jwt', 'express-authspec-jwks'])

/** The request headers that carry a variant's credential. */
export function credentialHeaders(credential, fixtures) {
  switch (credential) {
    case 'none':
      return {}
    case 'apiKey':
      return { [API_KEY_HEADER]: fixtures.apiKey }
    case 'opaque':
      return { authorization: `Bearer ${fixtures.opaque}` }
    case 'jwtHS256':
      return { authorization: `Bearer ${fixtures.tokens.HS256}` }
    case 'jwtRS256':
      return { authorization: `Bearer ${fixtures.tokens.RS256}` }
    default:
      throw new Error(`unknown credential kind ${credential}`)
  }
}
